import Testing
import NNCore
import ModelFiles
@testable import Explorer

@Suite struct HeatmapDownsamplingTests {
    /// The obvious definition: for each block, the element of largest |x| (NaN first), sign kept.
    func reference(_ values: [Float], rows: Int, cols: Int, blockRows: Int, blockCols: Int) -> [Float] {
        var result: [Float] = []
        for br in stride(from: 0, to: rows, by: blockRows) {
            for bc in stride(from: 0, to: cols, by: blockCols) {
                var block: [Float] = []
                for r in br ..< min(rows, br + blockRows) {
                    for c in bc ..< min(cols, bc + blockCols) { block.append(values[r * cols + c]) }
                }
                if let nan = block.first(where: { $0.isNaN }) { result.append(nan); continue }
                result.append(block.max { abs($0) < abs($1) }!)
            }
        }
        return result
    }

    func same(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test(arguments: [(7, 5, 3, 2), (9, 13, 4, 4), (1, 17, 1, 5), (11, 1, 3, 1), (6, 6, 6, 6), (5, 3, 10, 10)])
    func oddSizesMatchTheReference(rows: Int, cols: Int, capacityRows: Int, capacityCols: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 100 + cols))
        var values = (0 ..< rows * cols).map { _ in generator.nextNormal() }
        values[(rows * cols) / 2] = .nan
        values[rows * cols - 1] = -.infinity
        let source = MatrixSource(rows: rows, cols: cols, elements: .values(values))
        let grid = HeatmapDownsampler.grid(of: source, capacityRows: capacityRows, capacityCols: capacityCols,
                                           zoom: 0, pan: GridPoint(row: 0, col: 0), cursor: GridPoint(row: rows - 1, col: cols - 1))
        let blockRows = (rows + capacityRows - 1) / capacityRows
        let blockCols = (cols + capacityCols - 1) / capacityCols
        #expect(grid.blockRows == blockRows && grid.blockCols == blockCols)
        #expect(grid.rows == (rows + blockRows - 1) / blockRows)
        #expect(grid.cols == (cols + blockCols - 1) / blockCols)
        #expect(grid.rows <= capacityRows && grid.cols <= capacityCols)
        #expect(same(grid.values, reference(values, rows: rows, cols: cols, blockRows: blockRows, blockCols: blockCols)))
        #expect(grid.values.contains { $0.isNaN })
        #expect(grid.values.contains(-.infinity))
        #expect(grid.cursor == GridPoint(row: grid.rows - 1, col: grid.cols - 1))
        let finite = grid.values.filter(\.isFinite).map(abs)
        #expect(grid.scale == (finite.max() ?? 0))
        #expect(grid.methodLabel == (blockRows == 1 && blockCols == 1 ? "1:1" : "max |x| per \(blockRows)×\(blockCols) block"))
    }

    @Test func zoomingInReachesSingleElementsAndPanningMovesTheWindow() {
        let values = (0 ..< 40 * 30).map { Float($0) }
        let source = MatrixSource(rows: 40, cols: 30, elements: .values(values))
        let maxZoom = HeatmapDownsampler.maxZoom(rows: 40, cols: 30, capacityRows: 10, capacityCols: 10)
        let fine = HeatmapDownsampler.grid(of: source, capacityRows: 10, capacityCols: 10, zoom: maxZoom,
                                           pan: GridPoint(row: 5, col: 7), cursor: nil)
        #expect(fine.methodLabel == "1:1")
        #expect(fine.origin == GridPoint(row: 5, col: 7))
        #expect(fine.rows == 10 && fine.cols == 10)
        for r in 0 ..< 10 { for c in 0 ..< 10 { #expect(fine.value(row: r, col: c) == Float((5 + r) * 30 + 7 + c)) } }
        // A window past the end is pulled back inside.
        let clamped = HeatmapDownsampler.grid(of: source, capacityRows: 10, capacityCols: 10, zoom: maxZoom,
                                              pan: GridPoint(row: 100, col: 100), cursor: nil)
        #expect(clamped.origin == GridPoint(row: 30, col: 20))
    }

    @Test func stateZoomsPansAndMovesTheCursorInElements() throws {
        let state = try openBuiltin()
        state.setViewport(treeRows: 20, heatmapRows: 4, heatmapCols: 4)
        #expect(state.select(path: "2.weight"))  // 8×8 in a 4×4 capacity: 2×2 blocks
        var grid = try tensorDetail(state).heatmap(rows: 4, cols: 4)
        #expect(grid.methodLabel == "max |x| per 2×2 block")
        try press(state, "Tab j")
        #expect(try tensorDetail(state).cursor == GridPoint(row: 2, col: 0))
        try press(state, "+")
        let detail = try tensorDetail(state)
        #expect(detail.zoomLevel == 1)
        grid = detail.heatmap(rows: 4, cols: 4)
        #expect(grid.methodLabel == "1:1")
        #expect(grid.cursor != nil)
        let w = try #require(state.model.spec).model.module(at: "2")!.parameter("weight")
        #expect(detail.cursorValue == (try w.element(at: [2, 0])))
        #expect(grid.value(row: grid.cursor!.row, col: grid.cursor!.col) == detail.cursorValue)
        try press(state, "+")
        #expect(state.status.text.contains("1:1"))
        try press(state, "PgDn")
        #expect(try tensorDetail(state).heatmap(rows: 4, cols: 4).origin.row == 4)
        try press(state, "- -")
        #expect(try tensorDetail(state).zoomLevel == 0)
        #expect(state.handle(.selectHeatmapCell(row: 3, col: 1)).contains(.redraw))
        #expect(try tensorDetail(state).cursor == GridPoint(row: 6, col: 2))
    }

    @Test func higherRankTensorsShowOneSliceAtATime() throws {
        let values = (0 ..< 24).map { Float($0) }
        let path = try temporaryFolder() + "/stack.safetensors"
        let bytes = values.withUnsafeBytes { Array($0) }
        try SafeTensorsWriter.write(tensors: [(name: "t", type: .f32, shape: [2, 3, 4], bytes: bytes)], to: path)
        let state = try ExplorerState(model: try ModelLoader.load(path))
        #expect(state.select(path: "t"))
        var detail = try tensorDetail(state)
        #expect(detail.layout == .stacked)
        #expect(detail.leadingShape == [2])
        #expect(detail.heatmap(rows: 3, cols: 4).values == Array(values[0 ..< 12]))
        try press(state, ">")
        detail = try tensorDetail(state)
        #expect(detail.leadingIndices == [1])
        #expect(detail.heatmap(rows: 3, cols: 4).values == Array(values[12 ..< 24]))
        #expect(detail.cursorIndex == [1, 0, 0])
        #expect(detail.cursorValue == 12)
    }
}
