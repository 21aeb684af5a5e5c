import NNCore

/// Softmax along one dimension (PyTorch's `nn.Softmax`).
public final class Softmax: Module {
    /// The dimension that sums to one (negative counts from the end); unused when `isImplicit`.
    public let dim: Int
    /// Whether the dimension is chosen per input, as PyTorch's `nn.Softmax()` without `dim` does.
    public let isImplicit: Bool

    /// Creates the layer for dimension `dim`.
    public init(dim: Int = -1) {
        self.dim = dim
        self.isImplicit = false
        super.init()
    }

    /// PyTorch's `nn.Softmax()` without `dim` (deprecated there, but still what it computes): the dimension is
    /// chosen per input, 0 for ranks 0, 1 and 3 and 1 otherwise (torch.nn.functional `_get_softmax_dim`).
    public init(implicitDim: Void) {
        self.dim = -1
        self.isImplicit = true
        super.init()
    }

    /// `exp(x) / sum(exp(x))` along `dim` (or the implicit dimension).
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.softmax(dim: isImplicit ? ([0, 1, 3].contains(x.rank) ? 0 : 1) : dim)
    }

    /// `dim=1` (`dim=None` when implicit).
    public override var extraDescription: String { isImplicit ? "dim=None" : "dim=\(dim)" }
}

/// `Softmax(dim=None)`: holds nothing; keeps the input's shape. Without `dim`, PyTorch picks one per input rank.
public struct SoftmaxDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let dim: Int?
        public var description: String { "Softmax(dim=\(dim.map(String.init) ?? "None"))" }
    }

    public init() {}
    public var name: String { "Softmax" }
    public var arguments: [LayerArgument] { [LayerArgument("dim", .none)] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(dim: try arguments.optionalInt("dim"))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module { c.dim.map { Softmax(dim: $0) } ?? Softmax(implicitDim: ()) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments(keyword: [("dim", .int(1))]), inputShape: [2, 3]),
         LayerExample(ModuleArguments(), inputShape: [2, 3, 4])]
    }
}
