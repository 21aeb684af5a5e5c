import Testing
import NNCore
import ModelFiles
@testable import Explorer

@Suite struct TiedGradientTests {
    @Test func searchFindsTheTiedWeightByKeys() throws {
        let state = try openBuiltin()
        try press(state, "/ text:2.weight Enter")
        #expect(state.selectedPath == "2.weight")
        #expect(state.mode == .normal)
        let detail = try tensorDetail(state)
        #expect(detail.namesText == "2.weight = 4.weight")
        #expect(detail.shape == [8, 8])
        #expect(detail.dtype == "F32")
    }

    @Test func backwardTwiceShowsBothUsesAndTheirAccumulatedSum() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "2.weight"))
        try press(state, "b")
        let once = try #require(try tensorDetail(state).tiedGradients)
        let onceSum = once.sum.heatmap(rows: 8, cols: 8).values
        try press(state, "b")
        let detail = try tensorDetail(state)
        #expect(detail.showing == .gradient)
        #expect(detail.backwardCount == 2)
        let tied = try #require(detail.tiedGradients)
        #expect(tied.backwardCount == 2)
        #expect(tied.contributions.map(\.site) == ["2", "4"])
        #expect(tied.contributions.map(\.label) == ["via module 2", "via module 4"])
        // At 8×8 capacity the grids are 1:1, so they are the exact values: via 2 + via 4 == grad.
        let via2 = tied.contributions[0].heatmap(rows: 8, cols: 8)
        let via4 = tied.contributions[1].heatmap(rows: 8, cols: 8)
        let sum = tied.sum.heatmap(rows: 8, cols: 8)
        #expect(sum.methodLabel == "1:1")
        #expect(sum.values.count == 64)
        for i in 0 ..< 64 {
            #expect(abs(via2.values[i] + via4.values[i] - sum.values[i]) <= 1e-5 * max(1, abs(sum.values[i])))
            // The same batch twice without zeroing: the gradient doubled, visibly.
            #expect(abs(sum.values[i] - 2 * onceSum[i]) <= 1e-5 * max(1, abs(sum.values[i])))
        }
        #expect(tied.maxSumDiscrepancy < 1e-4)
        #expect(via2.values != via4.values)
        let header = state.header
        #expect(header.backwardPassesSinceZero == 2)
        #expect(header.lossHistory.count == 2)
        #expect(header.lossName == "sum")
        // The tree shows gradient norms after a backward pass.
        #expect(treeRow(state, "2.weight")?.gradNorm != nil)
        #expect(treeRow(state, "0.weight")?.gradNorm != nil)

        try press(state, "z")
        #expect(state.header.backwardPassesSinceZero == 0)
        #expect(try tensorDetail(state).tiedGradients == nil)
        #expect(treeRow(state, "2.weight")?.gradNorm == nil)
    }

    @Test func sgdStepMovesWeightsAgainstTheGradient() throws {
        let state = try openBuiltin()
        let spec = try #require(state.model.spec)
        let weight = try #require(spec.model.module(at: "6")).parameter("weight")
        let before = weight.toArray()
        try press(state, "b")
        let grad = try #require(weight.grad).toArray()
        let lr = state.learningRate
        try press(state, "s")
        let after = weight.toArray()
        for i in before.indices { #expect(abs(after[i] - (before[i] - lr * grad[i])) < 1e-6) }
        #expect(state.header.hasUnsavedEdits)
    }

    @Test func anSGDStepUndoesAndRedoesLikeAnEdit() throws {
        let state = try openBuiltin()
        let spec = try #require(state.model.spec)
        let tied = try #require(spec.model.module(at: "2")).parameter("weight")
        let last = try #require(spec.model.module(at: "6")).parameter("weight")
        let tiedBefore = tied.toArray(), lastBefore = last.toArray()
        try press(state, "b s")
        let tiedStepped = tied.toArray(), lastStepped = last.toArray()
        #expect(tiedStepped != tiedBefore)
        #expect(state.status.text.contains("u undoes"), "\(state.status.text)")
        #expect(state.header.hasUnsavedEdits)
        // Steps are not hand edits: no ✎ marks.
        #expect(treeRow(state, "2.weight")?.isEdited == false)
        #expect(state.undoLabels.last?.hasPrefix("SGD step") == true)

        // A hand edit after the step, then undo both, newest first.
        #expect(state.select(path: "6.weight"))
        try press(state, "Tab e text:9 Enter")
        #expect(try last.element(at: [0, 0]) == 9)
        try press(state, "u")
        #expect(last.toArray() == lastStepped)
        try press(state, "u")
        #expect(tied.toArray() == tiedBefore)
        #expect(last.toArray() == lastBefore)
        #expect(!state.header.hasUnsavedEdits)
        #expect(state.status.text.hasPrefix("undid: SGD step"))

        try press(state, "C-r")
        #expect(tied.toArray() == tiedStepped)
        #expect(last.toArray() == lastStepped)
        #expect(state.header.hasUnsavedEdits)
    }

    @Test func theUndoHistoryStaysWithinItsBudget() throws {
        let state = try openBuiltin()
        let small = EditRecord(changes: [TensorChange(entry: 0, indices: nil, oldValues: [1], newValues: [2])], label: "a")
        let huge = EditRecord(changes: [TensorChange(entry: 0, indices: nil,
                                                     oldValues: [Float](repeating: 0, count: ExplorerSettings().undoBudgetValues + 1),
                                                     newValues: [])], label: "b")
        #expect(state.remember(small))
        #expect(!state.remember(huge))
        #expect(state.undoLabels == ["a"])
        let half = EditRecord(changes: [TensorChange(entry: 0, indices: nil,
                                                     oldValues: [Float](repeating: 0, count: ExplorerSettings().undoBudgetValues / 2 + 1),
                                                     newValues: [])], label: "c")
        #expect(state.remember(half))
        #expect(state.remember(half))
        // Two halves exceed the budget: the oldest records go first.
        #expect(state.undoLabels == ["c"])
    }

    @Test func newInputKeepsTheShapeAndChangesTheValues() throws {
        let state = try openBuiltin()
        let first = try #require(state.run.input)
        try press(state, "r")
        let second = try #require(state.run.input)
        #expect(second.shape == first.shape)
        #expect(second.toArray() != first.toArray())
        try press(state, "r")
        #expect(try #require(state.run.input).toArray() != second.toArray())
    }

    @Test func lossCyclesAndGeneratesATargetThatFits() throws {
        let state = try openBuiltin()
        try press(state, "L")
        #expect(state.loss == .mean)
        try press(state, "L")
        #expect(state.loss == .mse)
        try press(state, "b")
        #expect(!state.status.isError)
        #expect(state.status.text.contains("generated target"))
        try press(state, "L b")
        #expect(state.loss == .crossEntropy)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.header.lossHistory.count == 2)
    }

    @Test func learningRateMovesInOneTwoFiveSteps() throws {
        let state = try openBuiltin()
        #expect(state.learningRate == 0.01)
        try press(state, "]")
        #expect(abs(state.learningRate - 0.02) < 1e-7)
        try press(state, "] ]")
        #expect(abs(state.learningRate - 0.1) < 1e-7)
        try press(state, "[ [ [ [")
        #expect(abs(state.learningRate - 0.005) < 1e-8)
    }
}

@Suite struct NonFiniteTests {
    @Test func statusNamesWhereNonFiniteValuesFirstAppear() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab F text:3e38 Enter")
        #expect(state.select(path: "0.bias"))
        try press(state, "F text:3e38 Enter f")
        #expect(state.status.isError)
        #expect(state.status.text.contains("first non-finite output: 0 (call 1) (Linear)"), "\(state.status.text)")

        let other = try openBuiltin()
        #expect(other.select(path: "6.bias"))
        try press(other, "Tab e text:inf Enter b")
        #expect(other.status.isError)
        #expect(other.status.text.contains("6.bias holds NaN or Inf"), "\(other.status.text)")
        // The heatmap keeps the Inf so it shows.
        try press(other, "g")
        #expect(try tensorDetail(other).heatmap(rows: 1, cols: 1).values == [.infinity])
    }
}
