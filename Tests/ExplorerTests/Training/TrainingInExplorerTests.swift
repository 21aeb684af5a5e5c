import Foundation
import ModelFiles
import NNCore
import Testing
import TerminalUI
@testable import Explorer

/// `T` in the explorer on the book's tied network: N steps of zero-grad, forward, loss, backward and SGD, one per
/// tick; Esc stops between steps; the whole run is one undo step.
@Suite struct TrainingInExplorerTests {
    /// Every parameter's values by entry id.
    static func parameters(_ state: ExplorerState) -> [Int: [Float]] {
        var values: [Int: [Float]] = [:]
        for entry in state.entries where entry.kind == .parameter { values[entry.id] = entry.tensor?.toArray() }
        return values
    }

    /// Runs every pending step, as the event loop does between keys.
    static func finish(_ state: ExplorerState) {
        var ticks = 0
        while state.hasPendingWork && ticks < 10_000 {
            state.advanceWork()
            ticks += 1
        }
    }

    @Test func aRunIsTheStepsOfTheBookInOneUndoStep() throws {
        let state = try openBuiltin("tied")
        let before = Self.parameters(state)
        try press(state, "T")
        guard case .prompt(let label, let text) = state.mode else { Issue.record("T opens no prompt"); return }
        #expect(label.contains("train how many steps") && text == "20")
        try press(state, "text:5 Enter")
        #expect(state.hasPendingWork && state.trainingRun?.done == 0)
        Self.finish(state)
        let run = try #require(state.trainingRun)
        #expect(run.outcome == .completed && run.done == 5)

        // The same five steps by hand: z b s, five times, from the same start (a second opening draws its own
        // weights and input from the shared generator, so they are copied over).
        let reference = try openBuiltin("tied")
        for entry in reference.entries where entry.kind == .parameter {
            let tensor = try #require(entry.tensor)
            try tensor.copyData(from: Tensor(try #require(before[entry.id]), shape: tensor.shape))
        }
        reference.run.input = state.run.input
        var handLosses: [Float] = []
        for _ in 0 ..< 5 {
            try press(reference, "z b s")
            handLosses.append(try #require(reference.run.lastLoss))
        }
        #expect(run.losses == handLosses)
        let after = Self.parameters(state)
        #expect(after == Self.parameters(reference))
        #expect(state.run.lossHistory.suffix(5) == handLosses[...])
        #expect(state.status.text.hasPrefix("trained 5 steps at lr 0.01: loss "), "\(state.status.text)")
        #expect(state.status.text.contains("u undoes the run"))
        #expect(state.hasUnsavedChanges)

        // One u restores every parameter as before the run; Ctrl-R redoes it.
        try press(state, "u")
        #expect(Self.parameters(state) == before)
        #expect(state.status.text.hasPrefix("undid: training run: trained 5 steps"), "\(state.status.text)")
        #expect(!state.hasUnsavedChanges)
        try press(state, "C-r")
        #expect(Self.parameters(state) == after)
    }

    @Test func escStopsBetweenStepsKeepingTheStepsDone() throws {
        let state = try openBuiltin("tied")
        let before = Self.parameters(state)
        try press(state, "T text:1000 Enter")
        for _ in 0 ..< 3 { state.advanceWork() }
        // Keys that would change the model wait; keys that only look work.
        try press(state, "b")
        #expect(state.status.text.contains("Esc stops the run first"))
        #expect(state.trainingRun?.done == 3)
        try press(state, "j")
        #expect(state.selectedPath == "0")
        try press(state, "Esc")
        let run = try #require(state.trainingRun)
        #expect(run.outcome == .stopped && run.done == 3 && !state.hasPendingWork)
        #expect(state.status.text.hasPrefix("stopped after 3 of 1000 steps"), "\(state.status.text)")
        // The strip stays until the next key; Esc then only closes it.
        #expect(state.trainingView?.done == 3)
        try press(state, "Esc")
        #expect(state.trainingView == nil)
        try press(state, "u")
        #expect(Self.parameters(state) == before)
    }

    @Test func badStepCountsAreRefusedWithoutARun() throws {
        let state = try openBuiltin("tied")
        for typed in ["0", "-3", "many", "2000000"] {
            try press(state, "T C-u text:\(typed) Enter")
            #expect(state.status.isError && state.status.text.contains("type a number of steps from 1 to 1,000,000"),
                    "\(typed): \(state.status.text)")
            #expect(!state.hasPendingWork && state.trainingRun == nil)
        }
        let browse = try ExplorerState(model: try ModelLoader.load(explorerFixtures.appendingPathComponent("seed_tied.safetensors").path))
        try press(browse, "T")
        #expect(browse.status.isError && browse.mode == .normal)
    }

    @Test func aNonFiniteLossStopsTheRunAndNamesTheModule() throws {
        let state = try openBuiltin("tied")
        // A learning rate of 1e38 overflows the last bias (its gradient is the batch size) in two steps.
        try press(state, "R text:1e38 Enter T text:50 Enter")
        Self.finish(state)
        let run = try #require(state.trainingRun)
        #expect(run.outcome == .nonFiniteLoss, "\(run.outcome)")
        #expect(run.done < 50)
        #expect(state.status.isError)
    }

    @Test func theRunsStepsFeedTheGradientFlowsUpdateRatios() throws {
        let state = try openBuiltin("tied")
        try press(state, "b")
        #expect(state.gradientFlow?.hasUpdateRatios == false)
        // `s`: each layer's ratio is lr·‖grad‖ / ‖w‖ over its own parameters, before the update.
        let grads = Dictionary(uniqueKeysWithValues: state.entries.compactMap { entry in
            entry.tensor?.grad.map { (entry.names.first ?? "", TensorStatistics.norm(of: $0)) } })
        let weights = Dictionary(uniqueKeysWithValues: state.entries.compactMap { entry in
            entry.tensor.map { (entry.names.first ?? "", TensorStatistics.norm(of: $0)) } })
        try press(state, "s")
        let flow = try #require(state.gradientFlow)
        #expect(flow.updateLearningRate == 0.01)
        for layer in flow.layers {
            let names = [layer.path + ".weight", layer.path + ".bias"]
            let update = names.map { 0.01 * grads[$0]! }.map { $0 * $0 }.reduce(0, +).squareRoot()
            let weight = names.map { weights[$0]! }.map { $0 * $0 }.reduce(0, +).squareRoot()
            let ratio = try #require(layer.updateRatio)
            #expect(abs(ratio - update / weight) <= 1e-5 * ratio, "\(layer.path): \(ratio) vs \(update / weight)")
        }
    }
}
