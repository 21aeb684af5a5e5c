/// The description of a layer without arguments of its own (an activation function such as ReLU or Tanh) whose
/// output has its input's shape and which holds nothing. PyTorch's `inplace` only saves memory there; the values
/// and gradients are the same either way, so it is accepted and ignored.
public struct ShapePreservingLayer: LayerDescription {
    /// The layer's name, as its configuration.
    public struct Configuration: CustomStringConvertible {
        /// `ReLU()`.
        public let description: String
    }

    /// The type name.
    public let name: String
    private let takesInplace: Bool
    private let build: @Sendable () -> Module

    /// A layer `name` built by `make`; `takesInplace` when PyTorch's constructor has `inplace=False`.
    public init(_ name: String, takesInplace: Bool, make: @escaping @Sendable () -> Module) {
        self.name = name
        self.takesInplace = takesInplace
        self.build = make
    }

    public var arguments: [LayerArgument] { takesInplace ? [LayerArgument("inplace", .value(.bool(false)))] : [] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        if takesInplace { _ = try arguments.bool("inplace", default: false) }
        return Configuration(description: "\(name)()")
    }

    public func tensors(_ configuration: Configuration) -> [LayerTensor] { [] }

    public func activation(_ configuration: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input)
    }

    public func make(_ configuration: Configuration) throws -> Module { build() }

    public func examples() throws -> [LayerExample] {
        var examples = [LayerExample(ModuleArguments(), inputShape: [2, 3]), LayerExample(ModuleArguments(), inputShape: [2, 3, 4, 4])]
        if takesInplace { examples.append(LayerExample(ModuleArguments(keyword: [("inplace", .bool(true))]), inputShape: [5])) }
        return examples
    }
}
