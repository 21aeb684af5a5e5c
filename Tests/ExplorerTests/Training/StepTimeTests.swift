import Testing
import TerminalUI
@testable import Explorer

/// The training strip's times: what a step takes (the median of the recent steps, so one slow step does not move
/// it), the time left while the run goes, their wording, and no times at all in `nnview snapshot`'s frames.
@Suite struct StepTimeTests {
    @Test func typicalStepIsTheMedianOfTheRecentSteps() {
        var run = LiveTrainingRun(targetSteps: 10, learningRate: 0.1, startValues: nil)
        #expect(run.typicalStepSeconds == nil && run.remainingSeconds == nil)
        run.record(loss: 1, seconds: 0.5)  // the first step allocates: slow
        run.record(loss: 1, seconds: 0.01)
        run.record(loss: 1, seconds: 0.012)
        #expect(run.typicalStepSeconds == 0.012)
        #expect(abs((run.remainingSeconds ?? 0) - 0.012 * 7) < 1e-12)
        run.record(loss: 1, seconds: 0.014)
        #expect(abs((run.typicalStepSeconds ?? 0) - 0.013) < 1e-12)
        // Only the last 25 steps count.
        for _ in 0 ..< 6 { run.record(loss: 1, seconds: 0.002) }
        #expect(run.outcome == .completed && run.remainingSeconds == nil)
        var long = LiveTrainingRun(targetSteps: 100, learningRate: 0.1, startValues: nil)
        for _ in 0 ..< 30 { long.record(loss: 1, seconds: 1) }
        for _ in 0 ..< 25 { long.record(loss: 1, seconds: 0.001) }
        #expect(long.typicalStepSeconds == 0.001)
    }

    @Test func durationsReadNaturally() {
        #expect(TrainingPanel.duration(0.00042) == "0.42 ms")
        #expect(TrainingPanel.duration(0.0042) == "4.2 ms")
        #expect(TrainingPanel.duration(0.0123) == "12 ms")
        #expect(TrainingPanel.duration(1.34) == "1.3 s")
        #expect(TrainingPanel.duration(42) == "42 s")
        #expect(TrainingPanel.duration(420) == "7 min")
        #expect(TrainingPanel.duration(9000) == "2.5 h")
    }

    @Test func theProgressLineShowsTimesOnlyWhenTheyAreKnown() {
        var run = LiveTrainingRun(targetSteps: 20, learningRate: 0.01, startValues: [:])
        for _ in 0 ..< 5 { run.record(loss: 1, seconds: 0.012) }
        let panel = { (view: TrainingViewModel) in
            TrainingPanel(training: view, theme: .builtInDefault, ascii: false).progressLine(width: 120)
        }
        let shown = panel(TrainingViewModel(run: run))
        #expect(shown.hasSuffix("25% · lr 0.01 · 12 ms/step · ~180 ms left · Esc stops"), "\(shown)")
        let hidden = panel(TrainingViewModel(run: run, showsTimes: false))
        #expect(hidden.hasSuffix("25% · lr 0.01 · Esc stops") && !hidden.contains("/step"), "\(hidden)")
        for _ in 0 ..< 15 { run.record(loss: 1, seconds: 0.012) }
        #expect(panel(TrainingViewModel(run: run)).hasSuffix("100% · lr 0.01 · 12 ms/step · u undoes the run"))
    }
}
