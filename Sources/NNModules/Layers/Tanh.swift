import NNCore

/// The hyperbolic tangent elementwise (PyTorch's `nn.Tanh`).
public final class Tanh: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// `tanh(x)`.
    public override func forward(_ x: Tensor) throws -> Tensor { x.tanh() }
}
