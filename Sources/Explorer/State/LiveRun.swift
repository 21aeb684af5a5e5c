import NNCore
import NNModules

/// What changes as a live model runs: the input batch (and the spec's target), the selected loss and learning
/// rate, the losses so far and whether the last one still describes the model, the backward passes since the
/// gradients were zeroed, the generator for new batches and re-initialisation, the SGD steps not yet saved, and a
/// session's last predictions. The model itself (spec or session) is the state's; a browsed file keeps the
/// defaults.
struct LiveRun {
    /// The batch the model runs on (a spec's `input`, or one `r` drew); nil when there is none.
    var input: Tensor?
    /// The spec's target, used when it fits the output.
    let target: Tensor?
    /// Whether the last target asked for was generated (none fitted).
    private(set) var targetIsGenerated = false
    /// The selected loss.
    private(set) var loss: Loss
    /// The learning rate of the SGD step.
    private(set) var learningRate: Float
    /// Every backward pass's loss, oldest first.
    private(set) var lossHistory: [Float] = []
    /// The last loss computed.
    private(set) var lastLoss: Float?
    /// Whether `lastLoss` no longer describes the model (an edit, a step, a new input or another loss since it
    /// was computed); the next forward or backward pass makes it current again.
    private(set) var lastLossIsStale = false
    /// Backward passes whose gradients have added up since the last zeroing.
    private(set) var backwardPassesSinceZero = 0
    /// Draws new input batches and re-initialised values.
    var generator: SeededGenerator
    /// SGD steps applied minus steps undone since the last save.
    private(set) var unsavedSteps = 0
    /// What a session's last forward or backward pass said (predictions), shown in the root's pane.
    var sessionLines: [String] = []
    /// Why the last `f` or `b` failed (its error's text); nil once a pass succeeds. Module panes use it to say why a
    /// call has no output.
    var lastPassFailure: String?
    /// The seed generated targets start from (each loss adds its own offset, so they stay apart).
    let targetSeed: UInt64

    /// A run with nothing computed yet.
    init(input: Tensor?, target: Tensor?, loss: Loss, learningRate: Float, seed: UInt64, targetSeed: UInt64) {
        self.input = input
        self.target = target
        self.loss = loss
        self.learningRate = learningRate
        self.generator = SeededGenerator(seed: seed)
        self.targetSeed = targetSeed
    }

    /// A forward pass computed `value`.
    mutating func forwardComputed(loss value: Float) {
        lastLoss = value
        lastLossIsStale = false
    }

    /// A backward pass of loss `value` added into the gradients.
    mutating func backwardAccumulated(loss value: Float) {
        backwardPassesSinceZero += 1
        forwardComputed(loss: value)
        lossHistory.append(value)
    }

    /// The model, its input or the loss changed: the loss shown (if any) is stale.
    mutating func modelChanged() {
        lastLossIsStale = lastLoss != nil
    }

    /// The gradients were zeroed: the next backward starts a fresh sum.
    mutating func gradientsZeroed() { backwardPassesSinceZero = 0 }

    /// The next loss (sum → mean → mse → cross-entropy → sum); the loss shown becomes stale.
    mutating func cycleLoss() {
        let all = Loss.allCases
        loss = all[((all.firstIndex(of: loss) ?? 0) + 1) % all.count]
        modelChanged()
    }

    /// Sets the learning rate; false (and nothing changes) unless it is finite and positive.
    mutating func setLearningRate(_ value: Float) -> Bool {
        guard value.isFinite, value > 0 else { return false }
        learningRate = value
        return true
    }

    /// The learning rates `]` and `[` step through: 1, 2 and 5 times each power of ten from 1e-8 to 100.
    static let learningRateSteps: [Float] = {
        var steps: [Float] = []
        var power: Float = 1e-8
        while power <= 100 {
            steps += [power, 2 * power, 5 * power]
            power *= 10
        }
        return steps
    }()

    /// Moves the learning rate one step up or down the 1-2-5 ladder; nil (nothing changes) at its end.
    mutating func stepLearningRate(up: Bool) -> Float? {
        let steps = Self.learningRateSteps
        let next = up ? steps.first { $0 > learningRate * 1.0001 } : steps.last { $0 < learningRate * 0.9999 }
        if let next { learningRate = next }
        return next
    }

    /// `delta` SGD steps were applied (negative: undone).
    mutating func stepsApplied(_ delta: Int) { unsavedSteps += delta }

    /// Everything is saved.
    mutating func saved() { unsavedSteps = 0 }

    /// The target for the selected loss: none for sum and mean; the spec's if it fits the output; else one
    /// generated with the right shape (and `targetIsGenerated` says so).
    mutating func target(for output: Tensor) throws -> Tensor? {
        targetIsGenerated = false
        switch loss {
        case .sum, .mean:
            return nil
        case .mse:
            if let target, target.shape == output.shape { return target }
            targetIsGenerated = true
            var seeded = SeededGenerator(seed: targetSeed &+ 99)
            return Tensor.randn(output.shape, generator: &seeded)
        case .crossEntropy:
            guard output.rank == 1 || output.rank == 2, let classes = output.shape.last, classes > 0 else {
                throw ExplorerError("cross-entropy needs logits of shape [N, C] or [C], the output is [" + output.shape.map(String.init).joined(separator: ", ") + "]")
            }
            let wanted = output.rank == 2 ? [output.shape[0]] : []
            if let target, target.shape == wanted,
               target.toArray().allSatisfy({ $0 >= 0 && $0 < Float(classes) && $0 == $0.rounded() }) {
                return target
            }
            targetIsGenerated = true
            var seeded = SeededGenerator(seed: targetSeed &+ 101)
            let count = wanted.first ?? 1
            let ids = (0 ..< count).map { _ in Float(Int(seeded.nextUniform() * Float(classes)) % classes) }
            return try Tensor(ids, shape: wanted)
        }
    }

    /// A new batch shaped like the current one: whole numbers in [0, `integralLimit`) are token ids or class
    /// indices and stay in the range the batch used; otherwise normal values when the batch had negatives, else
    /// uniform ones. It becomes the input.
    mutating func drawNewInput(like x: Tensor, integralLimit: Float) throws -> Tensor {
        let values = x.toArray()
        let integral = !values.isEmpty && values.allSatisfy { $0 >= 0 && $0 < integralLimit && $0 == $0.rounded() }
        let fresh: Tensor
        if integral {
            let upper = max(1, Int(values.max() ?? 0) + 1)
            let ids = (0 ..< x.count).map { _ in Float(Int(generator.nextUniform() * Float(upper)) % upper) }
            fresh = try Tensor(ids, shape: x.shape)
        } else if values.contains(where: { $0 < 0 }) {
            fresh = Tensor.randn(x.shape, generator: &generator)
        } else {
            fresh = Tensor.rand(x.shape, generator: &generator)
        }
        input = fresh
        modelChanged()
        return fresh
    }
}
