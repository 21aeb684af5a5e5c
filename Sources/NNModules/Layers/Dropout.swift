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
