import Testing
@testable import Explorer

/// The training run's own bookkeeping, without a model: steps counted, how it ends, the loss figures, and the
/// whole run as one undo record.
@Suite struct LiveTrainingRunTests {
    @Test func completesAfterItsLastStep() {
        var run = LiveTrainingRun(targetSteps: 3, learningRate: 0.1, startValues: [:])
        #expect(run.isRunning && run.done == 0 && run.progress == 0)
        run.record(loss: 2)
        run.record(loss: 1)
        #expect(run.isRunning && run.done == 2)
        #expect(abs(run.progress - 2.0 / 3.0) < 1e-12)
        run.record(loss: 0.5)
        #expect(run.outcome == .completed && !run.isRunning && run.progress == 1)
        // A finished run takes no more steps.
        run.record(loss: 0.1)
        #expect(run.losses == [2, 1, 0.5])
        #expect(run.headline == "trained 3 steps")
        #expect(run.lossSummary == "loss 2 → 0.5")
    }

    @Test func stopKeepsTheStepsDone() {
        var run = LiveTrainingRun(targetSteps: 100, learningRate: 0.1, startValues: nil)
        run.record(loss: 3)
        run.record(loss: 1)
        run.record(loss: 2)
        run.stop()
        #expect(run.outcome == .stopped && run.done == 3)
        #expect(run.headline == "stopped after 3 of 100 steps")
        // The minimum is named when the last loss is not it.
        #expect(run.minimum?.step == 2 && run.minimum?.loss == 1)
        #expect(run.lossSummary == "loss 3 → 2 (min 1 at step 2)")
        run.fail("too late")
        #expect(run.outcome == .stopped, "a stopped run stays stopped")
    }

    @Test func aNonFiniteLossEndsTheRunAndIsNoMinimum() {
        var run = LiveTrainingRun(targetSteps: 10, learningRate: 0.1, startValues: nil)
        run.record(loss: 4)
        run.record(loss: .nan)
        #expect(run.outcome == .nonFiniteLoss && run.done == 2)
        #expect(run.minimum?.loss == 4 && run.minimum?.step == 1)
        #expect(run.headline == "stopped at step 2 of 10 by a loss of NaN")
    }

    @Test func aFailedStepIsNotCounted() {
        var run = LiveTrainingRun(targetSteps: 5, learningRate: 0.1, startValues: nil)
        run.record(loss: 1)
        run.fail("forward: shape mismatch")
        #expect(run.outcome == .failed("forward: shape mismatch") && run.done == 1)
        #expect(run.headline == "failed at step 2 of 5 (1 done)")
    }

    @Test func theUndoRecordHoldsEveryChangedParameterBeforeAndAfter() throws {
        var run = LiveTrainingRun(targetSteps: 2, learningRate: 0.1, startValues: [0: [1, 2], 1: [3], 2: [5, 6]])
        let now: [Int: [Float]] = [0: [0.5, 2], 1: [3], 2: [4, 7]]
        #expect(run.undoRecord(label: "x", current: { now[$0] }) == nil, "nothing to undo before a step")
        run.record(loss: 1)
        let record = try #require(run.undoRecord(label: "training run", current: { now[$0] }))
        #expect(record.isTrainingStep && record.label == "training run")
        // Entry 1 did not change: it is left out.
        #expect(record.changes.map(\.entry) == [0, 2])
        #expect(record.changes[0].oldValues == [1, 2] && record.changes[0].newValues == [0.5, 2])
        #expect(record.changes[1].oldValues == [5, 6] && record.changes[1].newValues == [4, 7])
        #expect(record.changes.allSatisfy { $0.indices == nil })
        // Without start values (over the undo budget) there is no record.
        var large = LiveTrainingRun(targetSteps: 1, learningRate: 0.1, startValues: nil)
        large.record(loss: 1)
        #expect(large.undoRecord(label: "x", current: { now[$0] }) == nil)
    }
}
