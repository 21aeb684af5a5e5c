import Foundation
import Testing
import ModelFiles
@testable import Explorer

@Suite struct TreeTests {
    @Test func sharedModulesAndParametersGetOneGroupEach() throws {
        let state = try openBuiltin()
        let module2 = try #require(treeRow(state, "2"))
        let module4 = try #require(treeRow(state, "4"))
        #expect(module2.sharedGroup != nil)
        #expect(module2.sharedGroup == module4.sharedGroup)
        #expect(module2.typeSummary == "LazyLinear(8)" || module2.typeSummary.contains("8"))
        let w2 = try #require(treeRow(state, "2.weight"))
        let w4 = try #require(treeRow(state, "4.weight"))
        let b2 = try #require(treeRow(state, "2.bias"))
        #expect(w2.sharedGroup == w4.sharedGroup)
        #expect(b2.sharedGroup == treeRow(state, "4.bias")?.sharedGroup)
        let groups = Set([module2.sharedGroup, w2.sharedGroup, b2.sharedGroup].compactMap { $0 })
        #expect(groups.count == 3)
        #expect(treeRow(state, "0")?.sharedGroup == nil)
        #expect(treeRow(state, "0.weight")?.sharedGroup == nil)
        #expect(treeRow(state, "1")?.sharedGroup == nil)
        // Shared tensors counted once: 4·8+8 + 8·8+8 + 8+1.
        #expect(state.header.totalParameterCount == 121)
        #expect(state.header.trainableParameterCount == 121)
        #expect(treeRow(state, "2")?.parameterCount == 72)
        #expect(w2.kind == .parameter)
        #expect(module2.kind == .module)
        #expect(module2.isExpandable)
        #expect(w2.shapeText == "[8, 8]")
    }

    @Test func moduleDetailListsCallsAtEveryUse() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "2"))
        try press(state, "f")
        guard case .module(let detail) = state.detail else {
            Issue.record("expected a module detail")
            return
        }
        #expect(detail.names == ["2", "4"])
        #expect(detail.calls.map(\.path) == ["2", "4"])
        #expect(detail.calls.allSatisfy { $0.inputShapes == [[2, 8]] && $0.outputShape == [2, 8] })
        let grid = detail.heatmap(rows: 2, cols: 8)
        #expect(grid.rows == 2 && grid.cols == 8)
    }

    @Test func lazyParametersShowUninitialisedUntilTheyHaveValues() throws {
        let folder = try temporaryFolder()
        let path = folder + "/lazy.nn"
        try "model = Sequential(LazyLinear(8), ReLU(), Linear(8, 2))\n".write(toFile: path, atomically: true, encoding: .utf8)
        let state = try ExplorerState(model: try ModelLoader.load(path))
        let lazy = try #require(treeRow(state, "0.weight"))
        #expect(lazy.isLazyUninitialised)
        #expect(lazy.shapeText == "[8, ?]")
        #expect(lazy.parameterCount == 0)
        #expect(treeRow(state, "0")?.isLazyUninitialised == true)
        #expect(treeRow(state, "2.weight")?.isLazyUninitialised == false)
        #expect(state.header.uninitialisedParameterCount == 2)
        #expect(state.header.totalParameterCount == 18)
        #expect(state.select(path: "0.weight"))
        let detail = try tensorDetail(state)
        #expect(detail.isLazyUninitialised)
        #expect(detail.message?.contains("not initialised") == true)
        #expect(detail.heatmap(rows: 4, cols: 4) == .empty)
        try press(state, "f")
        #expect(state.status.isError)
        #expect(state.status.text.contains("no input batch"))
    }

    @Test func navigationKeysMoveCollapseAndExpand() throws {
        let state = try openBuiltin()
        state.setViewport(treeRows: 5, heatmapRows: 16, heatmapCols: 16)
        #expect(state.tree.cursor == 0)
        try press(state, "j")
        #expect(state.selectedPath == "0")
        let expandedCount = state.tree.rowCount
        try press(state, "h")
        #expect(state.tree.rowCount == expandedCount - 2)
        #expect(treeRow(state, "0")?.isExpanded == false)
        try press(state, "l")
        #expect(state.tree.rowCount == expandedCount)
        try press(state, "End")
        #expect(state.tree.cursor == state.tree.rowCount - 1)
        #expect(state.tree.scrollOffset == state.tree.rowCount - 5)
        #expect(state.tree.visibleRows.count == 5)
        try press(state, "Home")
        #expect(state.tree.scrollOffset == 0)
        try press(state, "PgDn")
        #expect(state.tree.cursor == 5)
        try press(state, "j h")  // a tensor row: h goes to the parent
        #expect(state.selectedPath == "2")
        #expect(state.handle(.selectTreeRow(1)).contains(.redraw))
        #expect(state.selectedPath == "0")
        try press(state, "Tab")
        #expect(state.focus == .detail)
        try press(state, "? x")
        #expect(state.mode == .normal)
        try press(state, "t")
        #expect(state.themeName == "light")
        #expect(state.handle(.nextTheme).contains(.changedTheme))
    }

    @Test func keymapHasHelpForEveryBindingAndNoKeyTwice() {
        var seen = Set<String>()
        let entries = Keymap.default.entries
        for (index, entry) in entries.enumerated() {
            // A key without a line of its own is named on the line before (`[ ]` explains `[` too).
            if entry.help.isEmpty {
                #expect(index > 0 && entry.keyLabel.isEmpty)
                for case .character(let c) in entry.keys {
                    #expect(entries[max(0, index - 1)].keyLabel.contains(c), "\(c) is explained nowhere")
                }
            }
            for key in entry.keys { #expect(seen.insert("\(key)").inserted, "\(key) bound twice") }
        }
        // Every listed binding (`i` is on the line of `r/i`), then the legend of the tree's marks.
        #expect(Keymap.default.helpBindings.count == Keymap.default.entries.filter(\.isListed).count + Keymap.legend.count)
        #expect(Keymap.default.command(for: .character("i")) == .beginInput)
        #expect(Keymap.default.command(for: .character("r")) == .newInput)
        #expect(Keymap.default.helpBindings.last?.key == "∇")
        #expect(Keymap.default.command(for: .character("b")) == .backward)
        #expect(Keymap.default.command(for: .ctrl("r")) == .redo)
    }
}
