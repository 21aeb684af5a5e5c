import Testing
import TerminalUI
import ModelFiles
@testable import Explorer

/// The named settings: nnview's defaults, and each one reaching the state through ExplorerOptions.
struct ExplorerSettingsTests {
    @Test func theDefaultsAreNNViewsNumbers() {
        let settings = ExplorerSettings()
        #expect(settings.expandWholeTreeUpTo == 200)
        #expect(settings.expandRootChildrenUpTo == 50)
        #expect(settings.expandRootChildrenInTreesUpTo == 2000)
        #expect(settings.defaultLearningRate == 0.01)
        #expect(settings.undoBudgetValues == 32 << 20)
        #expect(settings.slowWorkElements == 1_000_000)
        #expect(settings.integralInputLimit == 1_000_000)
        #expect(settings.activationBudgetBytes == 64 << 20)
        #expect(ExplorerOptions().settings == settings)
    }

    @Test func theTreeOpensAsFarAsTheSettingsAllow() throws {
        let open = try openBuiltin("tied")
        let closed = try openBuiltin("tied", options: ExplorerOptions(settings: ExplorerSettings(
            expandWholeTreeUpTo: 0, expandRootChildrenInTreesUpTo: 0)))
        #expect(open.tree.rowCount > closed.tree.rowCount)
        // Only the root is open: the root and its 7 children (tied.nn's Sequential).
        #expect(closed.tree.rowCount == 8)
    }

    @Test func aBrowsedFileTakesTheDefaultLearningRate() throws {
        let model = try ModelLoader.load(try fixturePath("dtypes.safetensors"))
        let state = try ExplorerState(model: model, options: ExplorerOptions(settings: ExplorerSettings(defaultLearningRate: 0.25)))
        #expect(state.learningRate == 0.25)
    }

    @Test func anEditOverTheUndoBudgetIsAppliedButNotKept() throws {
        let state = try openBuiltin("tied", options: ExplorerOptions(settings: ExplorerSettings(undoBudgetValues: 3)))
        try press(state, "f")
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab e text:2 Enter")
        #expect(state.undoLabels.count == 1, "one value fits")
        try press(state, "F text:1 Enter")
        #expect(state.undoLabels.count == 1, "a whole-tensor fill does not fit: not kept")
        #expect(try tensorDetail(state).stats?.min == 1, "but applied")
    }

    @Test func theWorkingNoteThresholdComesFromTheSettings() throws {
        let state = try openBuiltin("tied", options: ExplorerOptions(settings: ExplorerSettings(slowWorkElements: 4)))
        try press(state, "f")
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab F")
        #expect(state.workingNote(for: .enter)?.hasPrefix("working: filling") == true)
    }
}
