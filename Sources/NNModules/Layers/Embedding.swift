import NNCore

/// A lookup table of `numEmbeddings` vectors of width `embeddingDim` (PyTorch's `nn.Embedding`); the input holds
/// integral indices (as floats) and the output appends a dimension of `embeddingDim`. The weight starts as
/// standard normal samples, as PyTorch's.
public final class Embedding: Module {
    /// The number of rows.
    public let numEmbeddings: Int
    /// The width of each row.
    public let embeddingDim: Int
    /// PyTorch's `padding_idx` (already made non-negative): that row starts at zero and gets no gradient.
    public let paddingIndex: Int?

    /// Creates the table from the process-wide generator; throws for negative sizes or a padding index outside
    /// `-numEmbeddings..<numEmbeddings` (a negative one counts from the end, as in PyTorch).
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil) throws {
        guard numEmbeddings >= 0 && embeddingDim >= 0 else {
            throw ModuleError(.invalidArgument, "Embedding: negative size (\(numEmbeddings), \(embeddingDim))")
        }
        if let paddingIndex, !(-numEmbeddings ..< numEmbeddings).contains(paddingIndex) {
            throw ModuleError(.invalidArgument,
                              "Embedding: padding_idx \(paddingIndex) must be within num_embeddings (\(numEmbeddings))")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        super.init()
        let weight = Tensor.randn([numEmbeddings, embeddingDim])
        if let row = self.paddingIndex {
            try Autograd.noGrad { try weight.slice(dim: 0, start: row, end: row + 1).copyData(from: Tensor.zeros([1, embeddingDim])) }
        }
        registerParameter("weight", weight)
    }

    /// A table over a given parameter slot of complete shape [numEmbeddings, embeddingDim], which may be shared
    /// (a tied language-model head) or still waiting for values a loader fills in.
    public init(weightSlot: ParameterSlot, paddingIndex: Int? = nil) throws {
        guard let shape = weightSlot.shape.completeShape, shape.count == 2 else {
            throw ModuleError(.invalidArgument, "Embedding: the weight must have a complete 2-d shape, got \(weightSlot.shape)")
        }
        if let paddingIndex, !(0 ..< shape[0]).contains(paddingIndex) {
            throw ModuleError(.invalidArgument, "Embedding: padding_idx \(paddingIndex) must be within num_embeddings (\(shape[0]))")
        }
        self.numEmbeddings = shape[0]
        self.embeddingDim = shape[1]
        self.paddingIndex = paddingIndex
        super.init()
        registerParameter("weight", weightSlot)
    }

    /// The rows picked by `indices`.
    public override func forward(_ indices: Tensor) throws -> Tensor {
        try embedding(indices: indices, weight: try parameter("weight"), paddingIndex: paddingIndex)
    }

    /// `Embedding(10 × 3)`.
    public override var summary: String { "Embedding(\(numEmbeddings) × \(embeddingDim))" }

    /// `10, 3` (`10, 3, padding_idx=0`).
    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingDim)" + (paddingIndex.map { ", padding_idx=\($0)" } ?? "")
    }
}

/// `Embedding(num_embeddings, embedding_dim, padding_idx=None)`: weight [num, dim]; ids of any shape → shape + [dim].
public struct EmbeddingDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let count, width: Int
        let paddingIndex: Int?
        public var description: String { "Embedding(\(count), \(width))" }
    }

    public init() {}
    public var name: String { "Embedding" }
    public var arguments: [LayerArgument] {
        [.required("num_embeddings"), .required("embedding_dim"), LayerArgument("padding_idx", .none)]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(count: try arguments.size("num_embeddings"), width: try arguments.size("embedding_dim"),
                      paddingIndex: try arguments.optionalInt("padding_idx"))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [LayerTensor("weight", [c.count, c.width])] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input + [c.width])
    }

    public func make(_ c: Configuration) throws -> Module { try Embedding(c.count, c.width, paddingIndex: c.paddingIndex) }

    public func examples() throws -> [LayerExample] {
        let ids = try Tensor([0, 3, 9, 3, 1, 0], shape: [2, 3])
        return [LayerExample(ModuleArguments([.int(10), .int(4)]), input: ids),
                LayerExample(ModuleArguments([.int(10), .int(4)], keyword: [("padding_idx", .int(-1))]), input: ids)]
    }
}
