import NNCore

/// The book's NestMLP (6.1): `net = Sequential(LazyLinear(64), ReLU(), LazyLinear(32), ReLU())`,
/// `linear = LazyLinear(16)`, `linear(net(x))`.
public final class NestMLP: Module {
    /// The nested Sequential.
    public let net: Sequential
    /// The final layer.
    public let linear: Linear

    /// Creates the network with lazy layers.
    public override init() {
        net = Sequential(LazyLinear(64), ReLU(), LazyLinear(32), ReLU())
        linear = LazyLinear(16)
        super.init()
        addModule("net", net)
        addModule("linear", linear)
    }

    /// `linear(net(x))`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try linear(try net(x))
    }
}

/// The book's `NestMLP()`: Sequential(LazyLinear(64), ReLU, LazyLinear(32), ReLU) → LazyLinear(16);
/// [..., w] → [..., 16].
public struct NestMLPDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible { public var description: String { "NestMLP()" } }

    public init() {}
    public var name: String { "NestMLP" }
    public var arguments: [LayerArgument] { [] }
    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration { Configuration() }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("net.0.weight", LazyShape([64, nil])), LayerTensor("net.0.bias", [64]),
         LayerTensor("net.2.weight", LazyShape([32, nil])), LayerTensor("net.2.bias", [32]),
         LayerTensor("linear.weight", LazyShape([16, nil])), LayerTensor("linear.bias", [16])]
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        let first = try LinearDescription.output(input, width: nil, to: 64, layer: c.description)
        let second = try LinearDescription.output(first, width: 64, to: 32, layer: c.description)
        return LayerActivation(output: try LinearDescription.output(second, width: 32, to: 16, layer: c.description),
                               largestIntermediate: try CheckedSize.product(first, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { NestMLP() }
    public func examples() throws -> [LayerExample] { [LayerExample(ModuleArguments(), inputShape: [2, 7])] }
}
