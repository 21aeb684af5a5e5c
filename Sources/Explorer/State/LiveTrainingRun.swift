import TerminalUI

/// A training run in the explorer (`T`): N steps of forward, loss, backward and SGD, one per tick of the event
/// loop, so the screen shows the progress and the loss curve as they come and Esc can stop it between steps.
///
/// The run only keeps its numbers: how many steps were asked for, the loss of each step done, how it ended, and
/// the parameters' values before the first step, from which the whole run becomes one undo step. The explorer
/// does the steps (`ExplorerState.advanceWork`).
struct LiveTrainingRun: Equatable {
    /// How a run ended.
    enum Outcome: Equatable {
        /// Still going: the next tick runs the next step.
        case running
        /// Every asked-for step ran.
        case completed
        /// Esc (or Ctrl-C) stopped it; the steps done are kept.
        case stopped
        /// A step's loss was NaN or ±Inf: training on it would only spread the NaN, so the run stopped there.
        case nonFiniteLoss
        /// A step threw (the message); the steps before it are kept.
        case failed(String)
    }

    /// The steps asked for.
    let targetSteps: Int
    /// The learning rate of every step's SGD update.
    let learningRate: Float
    /// The loss of each step done, in order (the loss before that step's update).
    private(set) var losses: [Float] = []
    /// The wall-clock seconds of each step done (forward, loss, backward and update), in order.
    private(set) var stepSeconds: [Double] = []
    /// How the run ended, or `.running`.
    private(set) var outcome: Outcome = .running
    /// Every parameter's values before the first step, by tensor entry id; nil when they would not fit the undo
    /// budget (the run then cannot be undone, as a single SGD step of such a model cannot).
    let startValues: [Int: [Float]]?

    /// The largest number of steps a run may ask for.
    static let maximumSteps = 1_000_000

    /// A run of `targetSteps` steps (1 … `maximumSteps`) at `learningRate`, remembering `startValues` for undo.
    init(targetSteps: Int, learningRate: Float, startValues: [Int: [Float]]?) {
        self.targetSteps = targetSteps
        self.learningRate = learningRate
        self.startValues = startValues
    }

    /// Steps done so far.
    var done: Int { losses.count }

    /// Whether the next tick should run another step.
    var isRunning: Bool { outcome == .running }

    /// Done over asked for, 0 … 1.
    var progress: Double { targetSteps > 0 ? Double(done) / Double(targetSteps) : 1 }

    /// Records the loss of the step just done; the run completes after its last step and stops at a loss that is
    /// not finite.
    mutating func record(loss: Float, seconds: Double = 0) {
        guard isRunning else { return }
        losses.append(loss)
        stepSeconds.append(seconds)
        if !loss.isFinite {
            outcome = .nonFiniteLoss
        } else if done >= targetSteps {
            outcome = .completed
        }
    }

    /// Stops the run after the steps done (Esc).
    mutating func stop() {
        if isRunning { outcome = .stopped }
    }

    /// Ends the run because a step threw `message`.
    mutating func fail(_ message: String) {
        if isRunning { outcome = .failed(message) }
    }

    /// The median time of the last (up to) 25 steps: what a step takes now, robust against one slow step (the
    /// first, which allocates, or one the machine interrupted). Nil before the first step.
    var typicalStepSeconds: Double? {
        let recent = stepSeconds.suffix(25).sorted()
        guard !recent.isEmpty else { return nil }
        return recent.count % 2 == 1 ? recent[recent.count / 2] : (recent[recent.count / 2 - 1] + recent[recent.count / 2]) / 2
    }

    /// The time the steps still to come should take at the typical step time; nil when none are to come.
    var remainingSeconds: Double? {
        guard isRunning, let step = typicalStepSeconds else { return nil }
        return step * Double(targetSteps - done)
    }

    /// The first step's loss.
    var firstLoss: Float? { losses.first }

    /// The last step's loss.
    var lastLoss: Float? { losses.last }

    /// The smallest finite loss and its step (from 1); the first of equal ones.
    var minimum: (step: Int, loss: Float)? { Self.minimum(of: losses) }

    /// The smallest finite value of `losses` and its step (from 1); the first of equal ones.
    static func minimum(of losses: [Float]) -> (step: Int, loss: Float)? {
        var best: (step: Int, loss: Float)?
        for (index, loss) in losses.enumerated() where loss.isFinite && (best == nil || loss < best!.loss) {
            best = (index + 1, loss)
        }
        return best
    }

    /// `trained 20 steps`, `stopped after 7 of 20 steps`, … — what the run did, for the status line and the
    /// strip's title.
    var headline: String {
        switch outcome {
        case .running: return "training: step \(done) of \(targetSteps)"
        case .completed: return "trained \(done) step\(done == 1 ? "" : "s")"
        case .stopped: return "stopped after \(done) of \(targetSteps) steps"
        case .nonFiniteLoss: return "stopped at step \(done) of \(targetSteps) by a loss of \(NumberFormat.exact(losses.last ?? .nan))"
        case .failed: return "failed at step \(done + 1) of \(targetSteps) (\(done) done)"
        }
    }

    /// `loss 2.31 → 0.12 (min 0.1 at step 17)`, or nil before the first step.
    var lossSummary: String? {
        guard let first = firstLoss, let last = lastLoss else { return nil }
        var text = "loss \(NumberFormat.short(first)) → \(NumberFormat.short(last))"
        if let minimum, minimum.loss < last, minimum.step != done {
            text += " (min \(NumberFormat.short(minimum.loss)) at step \(minimum.step))"
        }
        return text
    }

    /// The whole run as one undo step: for every parameter whose values changed, its values before the first step
    /// and now (`current` reads an entry's values now). Nil when nothing can be undone (no start values or no step
    /// changed anything).
    func undoRecord(label: String, current: (Int) -> [Float]?) -> EditRecord? {
        guard let startValues, done > 0 else { return nil }
        var changes: [TensorChange] = []
        for id in startValues.keys.sorted() {
            guard let old = startValues[id], let new = current(id), new.count == old.count, new != old else { continue }
            changes.append(TensorChange(entry: id, indices: nil, oldValues: old, newValues: new))
        }
        guard !changes.isEmpty else { return nil }
        var record = EditRecord(changes: changes, label: label)
        record.isTrainingStep = true
        return record
    }
}
