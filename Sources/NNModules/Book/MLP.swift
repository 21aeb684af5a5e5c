import NNCore

/// The book's MLP (6.1): `hidden = LazyLinear(256)`, `out = LazyLinear(10)`, `out(relu(hidden(x)))`.
public final class MLP: Module {
    /// The hidden layer.
    public let hidden: Linear
    /// The output layer.
    public let out: Linear

    /// Creates the network with lazy layers.
    public override init() {
        hidden = LazyLinear(256)
        out = LazyLinear(10)
        super.init()
        addModule("hidden", hidden)
        addModule("out", out)
    }

    /// `out(relu(hidden(x)))`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try out(try hidden(x).relu())
    }
}

/// The book's `MLP()`: LazyLinear(256) → ReLU → LazyLinear(10); [..., w] → [..., 10] through a [..., 256] hidden layer.
public struct MLPDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible { public var description: String { "MLP()" } }

    public init() {}
    public var name: String { "MLP" }
    public var arguments: [LayerArgument] { [] }
    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration { Configuration() }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("hidden.weight", LazyShape([256, nil])), LayerTensor("hidden.bias", [256]),
         LayerTensor("out.weight", LazyShape([10, nil])), LayerTensor("out.bias", [10])]
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        let hidden = try LinearDescription.output(input, width: nil, to: 256, layer: c.description)
        return LayerActivation(output: try LinearDescription.output(hidden, width: 256, to: 10, layer: c.description),
                               largestIntermediate: try CheckedSize.product(hidden, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { MLP() }
    public func examples() throws -> [LayerExample] { [LayerExample(ModuleArguments(), inputShape: [2, 20])] }
}
