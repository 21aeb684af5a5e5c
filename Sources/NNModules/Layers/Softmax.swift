import NNCore

/// Softmax along one dimension (PyTorch's `nn.Softmax`).
public final class Softmax: Module {
    /// The dimension that sums to one (negative counts from the end).
    public let dim: Int

    /// Creates the layer for dimension `dim`.
    public init(dim: Int = -1) {
        self.dim = dim
        super.init()
    }

    /// `exp(x) / sum(exp(x))` along `dim`.
    public override func forward(_ x: Tensor) throws -> Tensor { try x.softmax(dim: dim) }

    /// `dim=1`.
    public override var extraDescription: String { "dim=\(dim)" }
}
