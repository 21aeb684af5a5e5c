import NNCore

/// A lookup table of `numEmbeddings` vectors of width `embeddingDim` (PyTorch's `nn.Embedding`); the input holds
/// integral indices (as floats) and the output appends a dimension of `embeddingDim`. The weight starts as
/// standard normal samples, as PyTorch's.
public final class Embedding: Module {
    /// The number of rows.
    public let numEmbeddings: Int
    /// The width of each row.
    public let embeddingDim: Int

    /// Creates the table from the process-wide generator; throws for negative sizes.
    public init(_ numEmbeddings: Int, _ embeddingDim: Int) throws {
        guard numEmbeddings >= 0 && embeddingDim >= 0 else {
            throw ModuleError(.invalidArgument, "Embedding: negative size (\(numEmbeddings), \(embeddingDim))")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        super.init()
        registerParameter("weight", Tensor.randn([numEmbeddings, embeddingDim]))
    }

    /// The rows picked by `indices`.
    public override func forward(_ indices: Tensor) throws -> Tensor {
        try embedding(indices: indices, weight: try parameter("weight"))
    }

    /// `Embedding(10 × 3)`.
    public override var summary: String { "Embedding(\(numEmbeddings) × \(embeddingDim))" }

    /// `10, 3`.
    public override var extraDescription: String { "\(numEmbeddings), \(embeddingDim)" }
}
