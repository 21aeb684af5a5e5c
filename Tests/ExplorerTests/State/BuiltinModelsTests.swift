import Testing
import ModelFiles
@testable import Explorer

@Suite struct BuiltinModelsTests {
    @Test(arguments: BuiltinModels.names)
    func everyBuiltinRunsStepsFromKeys(name: String) throws {
        let state = try openBuiltin(name)
        #expect(state.isLive)
        for keys in ["f", "b", "b", "s", "r", "b", "z"] {
            try press(state, keys)
            #expect(!state.status.isError, "\(name) after \(keys): \(state.status.text)")
        }
        #expect(state.header.lossHistory.count == 3)
        #expect(state.header.backwardPassesSinceZero == 0)
        // Every row and every detail pane builds.
        let tree = state.tree
        for index in 0 ..< tree.rowCount {
            #expect(state.select(path: tree.row(at: index).path))
            _ = state.detail
        }
    }

    @Test func classifierUsesTheSpecsTargetAndLoss() throws {
        let state = try openBuiltin("classifier")
        #expect(state.loss == .crossEntropy)
        #expect(abs(state.learningRate - 0.1) < 1e-7)
        try press(state, "b")
        #expect(!state.status.isError)
        #expect(!state.status.text.contains("generated"))
        #expect(state.header.lastLoss.map { $0 > 0 && $0.isFinite } == true)
    }
}
