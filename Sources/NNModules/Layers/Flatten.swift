import NNCore

/// Merges dimensions `startDim...endDim` into one (PyTorch's `nn.Flatten`, which keeps the batch dimension).
public final class Flatten: Module {
    /// First dimension merged.
    public let startDim: Int
    /// Last dimension merged (negative counts from the end).
    public let endDim: Int

    /// Creates the layer; the defaults keep dimension 0, as PyTorch's.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    /// `x` with dimensions `startDim...endDim` merged.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.flatten(startDim: startDim, endDim: endDim)
    }

    /// `start_dim=1, end_dim=-1`.
    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

/// `Flatten(start_dim=1, end_dim=-1)`: holds nothing; merges dimensions start…end.
public struct FlattenDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let start, end: Int
        public var description: String { "Flatten(start_dim=\(start), end_dim=\(end))" }
    }

    public init() {}
    public var name: String { "Flatten" }
    public var arguments: [LayerArgument] { [LayerArgument("start_dim", .value(.int(1))), LayerArgument("end_dim", .value(.int(-1)))] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(start: try arguments.int("start_dim", default: 1), end: try arguments.int("end_dim", default: -1))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        if input.isEmpty { return LayerActivation(output: [1]) }
        let rank = input.count
        func resolve(_ dim: Int) -> Int? {
            let resolved = dim < 0 ? dim + rank : dim
            return (0 ..< rank).contains(resolved) ? resolved : nil
        }
        guard let start = resolve(c.start), let end = resolve(c.end), start <= end else {
            throw ModuleError(.shapeMismatch, "\(c): cannot flatten an input of shape \(LazyShape(known: input))")
        }
        let merged = try CheckedSize.product(Array(input[start ... end]), layer: c.description)
        return LayerActivation(output: Array(input[..<start]) + [merged] + Array(input[(end + 1)...]))
    }

    public func make(_ c: Configuration) throws -> Module { Flatten(startDim: c.start, endDim: c.end) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments(), inputShape: [2, 3, 4]),
         LayerExample(ModuleArguments([.int(0)]), inputShape: [2, 3]),
         LayerExample(ModuleArguments(keyword: [("start_dim", .int(1)), ("end_dim", .int(2))]), inputShape: [2, 3, 4, 5]),
         LayerExample(ModuleArguments([.int(-2)]), inputShape: [2, 3, 4])]
    }
}
