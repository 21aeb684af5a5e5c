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
    /// What a step takes now (the median of the recent steps), in seconds; nil before the first step or when
    /// times are not shown (`nnview snapshot`, whose frames must not depend on the machine).
    public var stepSeconds: Double? = nil
    /// What the steps still to come should take, in seconds; nil when none are to come or times are not shown.
    public var remainingSeconds: Double? = nil
    /// The smallest finite loss and its step (from 1).
    public var minimum: (step: Int, loss: Float)? { LiveTrainingRun.minimum(of: losses) }

    /// Done over asked for, 0 … 1.
    public var progress: Double { targetSteps > 0 ? Double(done) / Double(targetSteps) : 1 }
}

extension TrainingViewModel {
    /// The strip's view of `run`.
    init(run: LiveTrainingRun, showsTimes: Bool = true) {
        self.init(headline: run.headline, targetSteps: run.targetSteps, done: run.done, losses: run.losses,
                  learningRate: run.learningRate, isRunning: run.isRunning, isUndoable: run.startValues != nil,
                  stepSeconds: showsTimes ? run.typicalStepSeconds : nil,
                  remainingSeconds: showsTimes ? run.remainingSeconds : nil)
    }
}
