import NNCore

/// min(max(x, 0), 6) elementwise (PyTorch's `nn.ReLU6`).
public final class ReLU6: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// The activation of every element.
    public override func forward(_ x: Tensor) throws -> Tensor { x.relu6() }
}
