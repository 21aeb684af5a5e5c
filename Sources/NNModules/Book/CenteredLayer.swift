import NNCore

/// The book's CenteredLayer (6.5, layers without parameters): subtracts the mean of the whole input, so the
/// output has mean zero (`X - X.mean()`).
public final class CenteredLayer: Module {
    /// Creates the layer.
    public override init() { super.init() }

    /// `x - x.mean()`, the mean over every element (a scalar, broadcast back).
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x - x.mean()
    }
}
