import NNCore

/// `max(x, 0)` elementwise (PyTorch's `nn.ReLU`).
public final class ReLU: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// `max(x, 0)`.
    public override func forward(_ x: Tensor) throws -> Tensor { x.relu() }
}
