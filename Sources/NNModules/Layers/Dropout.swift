import NNCore

/// Zeroes each element with probability `p` in training mode and scales the rest by 1/(1−p) (PyTorch's
/// `nn.Dropout`); the identity in evaluation mode. Its own seeded generator makes the masks reproducible.
public final class Dropout: Module {
    /// The probability of zeroing an element.
    public let p: Float
    private var generator: SeededGenerator

    /// A dropout layer with probability `p` in [0, 1]. Without a `seed`, the seed is drawn from the process-wide
    /// generator, so `Tensor.manualSeed` makes the masks reproducible too.
    public init(p: Float = 0.5, seed: UInt64? = nil) throws {
        guard p >= 0 && p <= 1 else {
            throw ModuleError(.invalidArgument, "Dropout: probability \(p) is not in [0, 1]")
        }
        self.p = p
        let seed = seed ?? Tensor.withDefaultGenerator { $0.next() }
        generator = SeededGenerator(seed: seed)
        super.init()
    }

    /// `x` masked and scaled in training mode; `x` itself in evaluation mode.
    public override func forward(_ x: Tensor) throws -> Tensor {
        guard isTraining && p > 0 else { return x }
        let keep = 1 - p
        let scale: Float = keep > 0 ? 1 / keep : 0
        var mask = [Float](repeating: 0, count: x.count)
        for i in mask.indices where generator.nextUniform() >= p {
            mask[i] = scale
        }
        return try x * Tensor(mask, shape: x.shape)
    }

    /// `p=0.5, inplace=False`.
    public override var extraDescription: String { "p=\(p), inplace=False" }
}

/// `Dropout(p=0.5, inplace=False)` (and `seed`, nnview's own, for reproducible masks): holds nothing; keeps the
/// input's shape.
public struct DropoutDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let p: Float
        let seed: UInt64?
        public var description: String { "Dropout(p=\(p))" }
    }

    public init() {}
    public var name: String { "Dropout" }
    public var arguments: [LayerArgument] {
        [LayerArgument("p", .value(.float(0.5))), LayerArgument("inplace", .value(.bool(false))), LayerArgument("seed", .none)]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        _ = try arguments.bool("inplace", default: false)
        let seed = arguments.has("seed") ? UInt64(clamping: try arguments.size("seed")) : nil
        return Configuration(p: Float(try arguments.float("p", default: 0.5)), seed: seed)
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module { try Dropout(p: c.p, seed: c.seed) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments(), inputShape: [4, 4]),
         LayerExample(ModuleArguments([.float(0.0)], keyword: [("inplace", .bool(true)), ("seed", .int(3))]), inputShape: [2, 3, 2])]
    }
}
