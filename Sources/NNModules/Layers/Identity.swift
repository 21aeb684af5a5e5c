import NNCore

/// Returns its input unchanged (PyTorch's `nn.Identity`); a placeholder in containers.
public final class Identity: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// `x` itself.
    public override func forward(_ x: Tensor) throws -> Tensor { x }
}
