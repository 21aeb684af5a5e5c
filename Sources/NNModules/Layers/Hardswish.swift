import NNCore

/// x · relu6(x + 3) / 6 elementwise (PyTorch's `nn.Hardswish`).
public final class Hardswish: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// The activation of every element.
    public override func forward(_ x: Tensor) throws -> Tensor { x.hardswish() }
}
