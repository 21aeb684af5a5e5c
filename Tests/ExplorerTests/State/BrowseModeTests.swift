import Foundation
import Testing
import NNCore
import ModelFiles
@testable import Explorer

@Suite struct BrowseModeTests {
    func openFixture() throws -> ExplorerState {
        try ExplorerState(model: try ModelLoader.load(try fixturePath("seed_tied.safetensors")))
    }

    @Test func dottedNamesBecomeATreeWithTies() throws {
        let state = try openFixture()
        #expect(state.header.modeLabel == "browse")
        let tree = state.tree
        let paths = (0 ..< tree.rowCount).map { tree.row(at: $0).path }
        #expect(paths == ["", "0", "0.bias", "0.weight", "2", "2.bias", "2.weight", "4", "4.weight", "4.bias",
                          "6", "6.bias", "6.weight"])
        let w2 = try #require(treeRow(state, "2.weight"))
        let w4 = try #require(treeRow(state, "4.weight"))
        #expect(w2.sharedGroup != nil)
        #expect(w2.sharedGroup == w4.sharedGroup)
        #expect(treeRow(state, "2.bias")?.sharedGroup == treeRow(state, "4.bias")?.sharedGroup)
        #expect(treeRow(state, "2.bias")?.sharedGroup != w2.sharedGroup)
        #expect(treeRow(state, "0.weight")?.sharedGroup == nil)
        // Everything under 2 and 4 is tied under the same names: one module at two places.
        #expect(treeRow(state, "2")?.sharedGroup != nil)
        #expect(treeRow(state, "2")?.sharedGroup == treeRow(state, "4")?.sharedGroup)
        #expect(treeRow(state, "0")?.sharedGroup == nil)
        #expect(treeRow(state, "")?.sharedGroup == nil)
        #expect(w2.shapeText == "[8, 8]")
        #expect(w2.dtype == "F32")
        // Each tied tensor counted once: 8+32 + 8+64 + 1+8.
        #expect(state.header.totalParameterCount == 121)
        #expect(treeRow(state, "")?.parameterCount == 121)
        #expect(treeRow(state, "4")?.parameterCount == 72)
    }

    @Test func forwardIsRefusedWithAHint() throws {
        let state = try openFixture()
        try press(state, "f")
        #expect(state.status.isError)
        #expect(state.status.text.contains("no architecture: open a .nn spec with --weights to run the model"))
        try press(state, "b")
        #expect(state.status.isError)
        #expect(state.header.backwardPassesSinceZero == 0)
    }

    @Test func searchAndNext() throws {
        let state = try openFixture()
        try press(state, "/ text:bias Enter")
        #expect(state.selectedPath == "0.bias")
        try press(state, "n")
        #expect(state.selectedPath == "2.bias")
        try press(state, "n n n")
        #expect(state.selectedPath == "0.bias")  // wraps around
        try press(state, "/ text:nothing-like-this Enter")
        #expect(state.status.isError)
        #expect(state.selectedPath == "0.bias")
    }

    @Test func heatmapComesStraightFromTheRecord() throws {
        let state = try openFixture()
        #expect(state.select(path: "0.weight"))
        let detail = try tensorDetail(state)
        let grid = detail.heatmap(rows: 8, cols: 4)
        let record = try #require(state.model.archive?.tensor(named: "0.weight"))
        #expect(grid.values == (try record.makeTensor()).toArray())
        #expect(detail.stats?.count == 32)
        #expect(detail.histogram?.counts.reduce(0, +) == 32)
        #expect(detail.message == nil)
    }

    @Test func editMaterialisesAndSavesWithTiesOnce() throws {
        let folder = try temporaryFolder()
        let path = folder + "/edited.safetensors"
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("seed_tied.safetensors")),
                                      options: ExplorerOptions(savePath: path))
        #expect(state.select(path: "4.weight"))
        try press(state, "Tab j l e text:-3.5 Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.select(path: "2.weight"))
        #expect(try tensorDetail(state).cursorValue == -3.5)
        try press(state, "w")
        #expect(!state.status.isError, "\(state.status.text)")
        let archive = try ModelFileReader.open(path: path)
        #expect(try #require(archive.tensor(named: "2.weight")).readFloat(at: 9) == -3.5)
        #expect(try #require(archive.tensor(named: "4.weight")).readFloat(at: 9) == -3.5)
        #expect(archive.metadataValue("4.weight") == "2.weight")
        #expect(try #require(archive.tensor(named: "6.weight")).makeTensor().toArray()
                == (try #require(state.model.archive?.tensor(named: "6.weight")).makeTensor().toArray()))
    }

    @Test func otherDtypesAndShapes() throws {
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("dtypes.safetensors")))
        let tree = state.tree
        #expect(tree.rowCount > 5)
        for index in 0 ..< tree.rowCount where tree.row(at: index).kind != .module {
            #expect(state.select(path: tree.row(at: index).path))
            _ = state.detail  // every dtype, the scalar and the empty tensor build a view-model without trapping
        }
    }
}

@Suite struct IncrementalSearchTests {
    @Test func typingJumpsToTheFirstMatch() throws {
        let state = try openBuiltin()
        try press(state, "/ 6")
        #expect(state.mode == .search(text: "6"))
        #expect(state.selectedPath == "6")
        try press(state, "text:.b")
        #expect(state.selectedPath == "6.bias")
        try press(state, "z")
        #expect(!state.status.isError)
        #expect(state.status.text.contains("no name contains '6.bz' yet"))
        #expect(state.selectedPath == "6.bias")
        try press(state, "Esc")
        #expect(state.mode == .normal)
    }
}
