import NNCore

/// The Gaussian error linear unit (PyTorch's `nn.GELU`): exact with erf, or the tanh approximation.
public final class GELU: Module {
    /// Whether the tanh approximation is used instead of erf.
    public let approximate: GELUApproximation

    /// Creates the layer; `approximate: .tanh` selects PyTorch's `approximate='tanh'`.
    public init(approximate: GELUApproximation = .none) {
        self.approximate = approximate
        super.init()
    }

    /// `x Φ(x)`.
    public override func forward(_ x: Tensor) throws -> Tensor { x.gelu(approximate: approximate) }

    /// `approximate='none'`, as PyTorch prints it.
    public override var extraDescription: String { "approximate='\(approximate)'" }
}

/// `GELU(approximate='none')`: holds nothing; keeps the input's shape.
public struct GELUDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let approximate: GELUApproximation
        public var description: String { approximate == .tanh ? "GELU(approximate='tanh')" : "GELU()" }
    }

    public init() {}
    public var name: String { "GELU" }
    public var arguments: [LayerArgument] { [LayerArgument("approximate", .value(.string("none")))] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        switch try arguments.string("approximate", default: "none") {
        case "none": return Configuration(approximate: .none)
        case "tanh": return Configuration(approximate: .tanh)
        case let other:
            throw ModuleError(.invalidArgument, "GELU: approximate must be \"none\" or \"tanh\", got \"\(other)\"")
        }
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module { GELU(approximate: c.approximate) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments(), inputShape: [2, 3]),
         LayerExample(ModuleArguments(keyword: [("approximate", .string("tanh"))]), inputShape: [3])]
    }
}
