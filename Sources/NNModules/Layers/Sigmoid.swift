import NNCore

/// `1 / (1 + e^(-x))` elementwise (PyTorch's `nn.Sigmoid`).
public final class Sigmoid: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// The logistic function of `x`.
    public override func forward(_ x: Tensor) throws -> Tensor { x.sigmoid() }
}
