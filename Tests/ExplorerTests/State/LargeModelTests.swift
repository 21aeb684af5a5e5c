import Foundation
import Testing
import ModelFiles
import TerminalUI
@testable import Explorer

@Suite struct LargeModelTests {
    /// A browse-mode file with thousands of tensors: opening reads no tensor data, and a keystroke plus the
    /// view-models of one frame (visible rows only) stay far below a frame's time even in a debug build.
    @Test func thousandsOfTensorsStayResponsive() throws {
        let path = try temporaryFolder() + "/many.safetensors"
        let bytes = [UInt8](repeating: 0, count: 64 * 4)
        var tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
        for layer in 0 ..< 500 {
            for part in ["q", "k", "v", "o", "up", "down"] {
                tensors.append((name: "layers.\(layer).\(part).weight", type: .f32, shape: [8, 8], bytes: bytes))
            }
        }
        try SafeTensorsWriter.write(tensors: tensors, to: path)
        let clock = ContinuousClock()
        var state: ExplorerState?
        let openTime = try clock.measure { state = try ExplorerState(model: try ModelLoader.load(path)) }
        let explorer = try #require(state)
        explorer.setViewport(treeRows: 40, heatmapRows: 40, heatmapCols: 80)
        // Numeric segments are indices: layer 10 comes after layer 9, not after layer 1.
        #expect(explorer.select(path: "layers.10.q.weight"))
        let tree = explorer.tree
        let layer10 = try #require((0 ..< tree.rowCount).first { tree.row(at: $0).path == "layers.10" })
        #expect(tree.row(at: layer10 - 1).path == "layers.9")
        #expect(tree.row(at: layer10 + 1).path == "layers.10.down")
        var frames: [Duration] = []
        for key in ["j", "j", "k", "End", "Home", "/", "text:up", "Enter", "n", "Tab", "l", "Tab", "h"] {
            for event in try KeySpec.parse(key) {
                frames.append(clock.measure {
                    _ = explorer.handle(event)
                    _ = explorer.header
                    _ = explorer.tree.visibleRows
                    if case .tensor(let detail) = explorer.detail { _ = detail.heatmap(rows: 40, cols: 80) }
                })
            }
        }
        // Times are printed, not asserted (nnbench measures speed); what is asserted is that a frame builds only
        // the rows that fit.
        print("open 3000 tensors: \(openTime); slowest keystroke+frame: \(frames.max() ?? .zero)")
        #expect(explorer.tree.visibleRows.count == 40)
        #expect(explorer.header.totalParameterCount == 3000 * 64)
    }

    /// A tree of over 100k rows: `*` on the root opens all of it in one pass, a frame's view-model still holds only
    /// the rows that fit, End reaches the last row, and `c` folds it back.
    @Test func aHundredThousandRowTreeOpensWithOneKeyAndShowsOnlyWhatFits() throws {
        let path = try temporaryFolder() + "/huge-tree.safetensors"
        let bytes = [UInt8](repeating: 0, count: 4 * 4)
        var tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
        for block in 0 ..< 1_400 {
            for child in 0 ..< 24 {
                for part in ["weight", "bias"] {
                    tensors.append((name: "blocks.\(block).proj\(child).\(part)", type: .f32, shape: [4], bytes: bytes))
                }
            }
        }
        try SafeTensorsWriter.write(tensors: tensors, to: path)
        let explorer = try ExplorerState(model: try ModelLoader.load(path))
        explorer.setViewport(treeRows: 60, heatmapRows: 20, heatmapCols: 40)
        let closedRows = explorer.tree.rowCount
        #expect(closedRows < 10, "a tree this big opens folded")

        try press(explorer, "*")
        // root + blocks + 1,400 blocks + 33,600 modules + 67,200 tensors
        #expect(explorer.tree.rowCount == 1 + 1 + 1_400 + 33_600 + 67_200)
        #expect(explorer.tree.visibleRows.count == 60)
        #expect(explorer.status.text.contains("the whole tree"))
        try press(explorer, "End")
        #expect(explorer.tree.cursor == explorer.tree.rowCount - 1)
        // proj23 after proj9 (numeric order); bias and weight in the file's order (the writer sorts names).
        #expect(explorer.selectedPath == "blocks.1399.proj23.weight")
        #expect(explorer.tree.visibleRows.count == 60)

        // On a tensor row, c folds its module; Home and c on the root fold everything below it.
        try press(explorer, "c")
        #expect(explorer.selectedPath == "blocks.1399.proj23")
        #expect(explorer.tree.rowCount == 1 + 1 + 1_400 + 33_600 + 67_200 - 2)
        try press(explorer, "Home c")
        #expect(explorer.tree.rowCount == 2)
        #expect(explorer.selectedPath == "")
    }
}
