/// A training run (`T`) as its strip shows it: progress, the loss of every step done and how the run ended.
public struct TrainingViewModel: Equatable, Sendable {
    /// `training: step 7 of 20`, `trained 20 steps`, `stopped after 7 of 20 steps`, …
    public var headline: String
    /// Steps asked for.
    public var targetSteps: Int
    /// Steps done.
    public var done: Int
    /// The loss of each step done.
    public var losses: [Float]
    /// The learning rate of the run.
    public var learningRate: Float
    /// Whether steps are still to come (Esc stops them).
    public var isRunning: Bool
    /// Whether the run can be undone in one step.
    public var isUndoable: Bool
    /// The smallest finite loss and its step (from 1).
    public var minimum: (step: Int, loss: Float)? { LiveTrainingRun.minimum(of: losses) }

    /// Done over asked for, 0 … 1.
    public var progress: Double { targetSteps > 0 ? Double(done) / Double(targetSteps) : 1 }
}

extension TrainingViewModel {
    /// The strip's view of `run`.
    init(run: LiveTrainingRun) {
        self.init(headline: run.headline, targetSteps: run.targetSteps, done: run.done, losses: run.losses,
                  learningRate: run.learningRate, isRunning: run.isRunning, isUndoable: run.startValues != nil)
    }
}
