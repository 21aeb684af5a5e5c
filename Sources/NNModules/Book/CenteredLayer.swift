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

/// The book's `CenteredLayer()`: x − mean(x); holds nothing, keeps the input's shape.
public struct CenteredLayerDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible { public var description: String { "CenteredLayer()" } }

    public init() {}
    public var name: String { "CenteredLayer" }
    public var arguments: [LayerArgument] { [] }
    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration { Configuration() }
    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module { CenteredLayer() }
    public func examples() throws -> [LayerExample] { [LayerExample(ModuleArguments(), inputShape: [2, 3])] }
}
