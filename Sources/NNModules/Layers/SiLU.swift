import NNCore

/// x · σ(x) elementwise (PyTorch's `nn.SiLU`).
public final class SiLU: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// The activation of every element.
    public override func forward(_ x: Tensor) throws -> Tensor { x.silu() }
}
