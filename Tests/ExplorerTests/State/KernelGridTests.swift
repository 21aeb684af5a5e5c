import Testing
import NNCore
import ModelFiles
import TerminalUI
@testable import Explorer

/// A 4-d convolution kernel is shown as a grid of kh × kw heatmaps (output channels down, input channels across,
/// one-cell gaps); the cursor, edits and scopes address the element the grid cell shows.
@Suite struct KernelGridTests {
    @Test func everyGridCellMapsToItsTensorElementAndGapsToNothing() throws {
        let grid = try #require(KernelGrid(shape: [2, 3, 2, 3]))
        #expect(grid.rows == 2 * 3 - 1 && grid.cols == 3 * 4 - 1)
        #expect(grid.tensorIndex(row: 0, col: 0) == [0, 0, 0, 0])
        #expect(grid.tensorIndex(row: 1, col: 2) == [0, 0, 1, 2])
        #expect(grid.tensorIndex(row: 2, col: 0) == nil, "the gap row between output channels")
        #expect(grid.tensorIndex(row: 0, col: 3) == nil, "the gap column between input channels")
        #expect(grid.tensorIndex(row: 4, col: 9) == [1, 2, 1, 1])
        #expect(grid.tensorIndex(row: 5, col: 0) == nil && grid.tensorIndex(row: 0, col: 11) == nil)
        // Every element has exactly one cell, and the flat index is the row-major one.
        var seen = Set<Int>()
        for row in 0 ..< grid.rows {
            for col in 0 ..< grid.cols {
                guard let index = grid.tensorIndex(row: row, col: col) else { continue }
                let flat = try #require(grid.flatIndex(row: row, col: col))
                #expect(flat == ((index[0] * 3 + index[1]) * 2 + index[2]) * 3 + index[3])
                #expect(grid.cell(of: index) == GridPoint(row: row, col: col))
                seen.insert(flat)
            }
        }
        #expect(seen == Set(0 ..< 36))
        // Zoomed on output channel 1: the rows are that channel's kernel rows.
        let zoomed = try #require(KernelGrid(shape: [2, 3, 2, 3], zoomedChannel: 1))
        #expect(zoomed.rows == 2 && zoomed.cols == 11)
        #expect(zoomed.tensorIndex(row: 1, col: 5) == [1, 1, 1, 1])
        #expect(zoomed.cell(of: [0, 1, 1, 1]) == nil)
        #expect(KernelGrid(shape: [2, 3, 4]) == nil && KernelGrid(shape: [2, 0, 3, 3]) == nil)
        #expect(KernelGrid(shape: [1, 1, 64, 64]) == nil, "big 2-d planes keep the stacked slices")
    }

    @Test func gridValuesPlaceEachKernelWithGaps() throws {
        let grid = try #require(KernelGrid(shape: [2, 2, 1, 2]))
        let whole = MatrixSource(rows: 4, cols: 2, elements: .values([1, 2, 3, 4, 5, 6, 7, 8]))
        let source = MatrixSource(rows: grid.rows, cols: grid.cols, elements: .kernels(grid, whole: whole))
        var values: [Float] = []
        try source.forEachRow(0 ..< 3) { _, row in values += row }
        #expect(grid.rows == 3 && grid.cols == 5 && values.count == 15)
        #expect(source.element(row: 2, col: 4) == 8 && source.element(row: 0, col: 2).map(Heatmap.isGap) == true)
        #expect(Array(values[0 ..< 5]).map { Heatmap.isGap($0) ? nil : $0 } == [1, 2, nil, 3, 4])
        #expect(values[5 ..< 10].allSatisfy(Heatmap.isGap))
        #expect(Array(values[10 ..< 15]).map { Heatmap.isGap($0) ? nil : $0 } == [5, 6, nil, 7, 8])
        #expect(!Heatmap.isGap(.nan), "a computed NaN is never a gap")
    }

    func openKernel() throws -> (ExplorerState, [Float]) {
        let values = (0 ..< 4 * 2 * 3 * 3).map { Float($0) }
        let path = try temporaryFolder() + "/kernel.safetensors"
        try SafeTensorsWriter.write(tensors: [(name: "conv.weight", type: .f32, shape: [4, 2, 3, 3],
                                               bytes: values.withUnsafeBytes { Array($0) })], to: path)
        let state = try ExplorerState(model: try ModelLoader.load(path))
        #expect(state.select(path: "conv.weight"))
        return (state, values)
    }

    @Test func theCursorWalksOverGapsAndShowsKernelAndElement() throws {
        let (state, _) = try openKernel()
        var detail = try tensorDetail(state)
        #expect(detail.layout == .kernelGrid)
        #expect(detail.stats?.count == 72, "statistics count every element once, no gap")
        let grid = detail.heatmap(rows: 40, cols: 40)
        #expect(grid.rows == 15 && grid.cols == 7)
        try press(state, "Tab l l l j")
        detail = try tensorDetail(state)
        #expect(detail.cursor == GridPoint(row: 1, col: 4), "the gap column is hopped over")
        #expect(detail.cursorIndex == [0, 1, 1, 0])
        #expect(detail.cursorValue == Float(12), "[0, 1, 1, 0] is flat element 12")
        try press(state, "j j")
        #expect(try tensorDetail(state).cursorIndex == [1, 1, 0, 0], "the gap row is hopped over")
        try press(state, ">")
        detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [2, 1, 0, 0])
        #expect(detail.cursorValue == Float((2 * 2 + 1) * 9))
        try press(state, "< < <")
        #expect(try tensorDetail(state).cursorIndex == [3, 1, 0, 0], "< wraps to the last output channel")
    }

    @Test func zoomShowsOneOutputChannelAndBack() throws {
        let (state, values) = try openKernel()
        try press(state, "Tab j j j l l l +")
        var detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [1, 1, 0, 0])
        #expect(detail.kernelGrid?.zoomedChannel == 1)
        let grid = detail.heatmap(rows: 40, cols: 40)
        #expect(grid.rows == 3 && grid.cols == 7)
        #expect(grid.value(row: 0, col: 0) == values[18] && grid.value(row: 2, col: 6) == values[35])
        try press(state, "> j")
        detail = try tensorDetail(state)
        #expect(detail.kernelGrid?.zoomedChannel == 2 && detail.cursorIndex == [2, 1, 1, 0])
        try press(state, "-")
        detail = try tensorDetail(state)
        #expect(detail.kernelGrid?.zoomedChannel == nil && detail.cursorIndex == [2, 1, 1, 0])
        #expect(detail.cursor == GridPoint(row: 9, col: 4))
    }

    @Test func editsAndScopesThroughTheGridChangeTheRightElements() throws {
        let (state, values) = try openKernel()
        try press(state, "Tab j j j j l l l l e text:-7.5 Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        let entry = try #require(state.selectedEntry)
        var now = try #require(entry.tensor).toArray()
        let edited = ((1 * 2 + 1) * 3 + 1) * 3 + 1
        #expect(now[edited] == -7.5)
        #expect(now.enumerated().allSatisfy { $0.offset == edited || $0.element == values[$0.offset] })
        #expect(try tensorDetail(state).cursorValue == -7.5)
        try press(state, "u")
        #expect(try #require(entry.tensor).toArray() == values)
        // Scope row: the grid row is kernel row y of output channel o, across every input channel.
        try press(state, "o Z")
        now = try #require(entry.tensor).toArray()
        let zeroed = Set((0 ..< 2).flatMap { i in (0 ..< 3).map { x in ((1 * 2 + i) * 3 + 1) * 3 + x } })
        for (flat, value) in now.enumerated() { #expect(value == (zeroed.contains(flat) ? 0 : values[flat]), "element \(flat)") }
        try press(state, "u")
        // Scope column: column x of input channel i, every output channel and kernel row.
        try press(state, "o Z")
        now = try #require(entry.tensor).toArray()
        let column = Set((0 ..< 4).flatMap { o in (0 ..< 3).map { y in ((o * 2 + 1) * 3 + y) * 3 + 1 } })
        for (flat, value) in now.enumerated() { #expect(value == (column.contains(flat) ? 0 : values[flat]), "element \(flat)") }
    }

    @Test func goToPlacesTheCursorOnTheKernelElement() throws {
        let (state, _) = try openKernel()
        try press(state, ": text:3,1,2,0 Enter")
        let detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [3, 1, 2, 0])
        #expect(detail.cursorValue == Float(((3 * 2 + 1) * 3 + 2) * 3))
    }

    @Test func aGridLargerThanThePaneScrollsWithTheCursor() throws {
        let (state, _) = try openKernel()
        state.setViewport(treeRows: state.treeViewportRows, heatmapRows: 6, heatmapCols: 5)
        try press(state, "Tab " + Array(repeating: "j", count: 9).joined(separator: " ") + " l l l l l")
        let detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [3, 1, 0, 2], "rows 0 1 2 _ 4 5 6 _ 8 9 10 _ 12: output channel 3")
        let grid = detail.heatmap(rows: 6, cols: 5)
        #expect(grid.origin.row > 0 && grid.origin.col > 0, "the window followed the cursor")
        #expect(grid.methodLabel == "1:1", "a kernel grid is never downsampled")
        let cursor = try #require(grid.cursor)
        #expect(grid.value(row: cursor.row, col: cursor.col) == detail.cursorValue)
    }

    @Test func featureMapsAreReducedOneChannelAtATime() throws {
        // [2, 3, 4, 4]: sample 0's three 4×4 maps; channel c holds c+1 except one outlier per map.
        var values = [Float](repeating: 0, count: 2 * 3 * 16)
        for c in 0 ..< 3 { for e in 0 ..< 16 { values[c * 16 + e] = Float(c + 1) } }
        values[1 * 16 + 5] = -9
        for e in 48 ..< 96 { values[e] = 100 }
        let maps = try #require(FeatureMapGrid(output: try Tensor(values, shape: [2, 3, 4, 4])))
        let full = maps.heatmap(rows: 4, cols: 14)
        #expect(full.rows == 4 && full.cols == 14, "three 4×4 maps side by side with gaps")
        #expect(full.methodLabel == "3 maps 4×4, sample 0/2, 1:1")
        #expect(full.value(row: 0, col: 0) == 1 && full.value(row: 0, col: 5) == 2 && full.value(row: 3, col: 13) == 3)
        #expect(Heatmap.isGap(full.value(row: 0, col: 4)) && Heatmap.isGap(full.value(row: 2, col: 9)))
        #expect(full.scale == 9, "sample 1 is not drawn")
        let small = maps.heatmap(rows: 2, cols: 8)
        #expect(small.rows == 2 && small.cols == 8)
        #expect(small.methodLabel.hasSuffix("max|x| 2×2"))
        #expect(maps.heatmap(rows: 1, cols: 4) == .empty, "no room for one cell per channel: the caller falls back")
        #expect(Array(small.values[0 ..< 8]).map { Heatmap.isGap($0) ? nil : $0 } == [1, 1, nil, -9, 2, nil, 3, 3])
    }

    @Test func aConvModulesOutputIsFeatureMapsOrThePlainHeatmapWhenTooSmall() throws {
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("cnn_small.nn")))
        try press(state, "f")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.select(path: "0"))
        guard case .module(let module) = state.detail else { Issue.record("not a module"); return }
        let maps = module.heatmap(rows: 80, cols: 80)
        #expect(maps.methodLabel == "8 maps 16×16, sample 0/4, 1:1")
        let output = try #require(state.liveModule?.lastForward?.lastRecord(at: "0")?.output)
        #expect(maps.value(row: 0, col: 0) == output.toArray()[0], "1:1 at this size: channel 0's first element")
        let tooSmall = module.heatmap(rows: 2, cols: 3)
        #expect(tooSmall.rows > 0 && !tooSmall.methodLabel.contains("maps"), "falls back to the plain heatmap")
        #expect(state.select(path: "12"))
        guard case .module(let linear) = state.detail else { Issue.record("not a module"); return }
        #expect(linear.featureMaps == nil, "a 2-d output is not feature maps")
    }
}
