import Testing
import NNCore
@testable import Explorer

/// 1-d tensors longer than a short strip are wrapped into rows so every element can be shown 1:1.
@Suite struct StripLayoutTests {
    @Test func shortStripsStayOneRowAndLongOnesWrapSquareish() {
        #expect(ExplorerState.matrixGeometry([8]) == (1, 8, 1))
        #expect(ExplorerState.matrixGeometry([32]) == (1, 32, 1))
        #expect(ExplorerState.matrixGeometry([256]) == (16, 16, 1))
        #expect(ExplorerState.matrixGeometry([100]) == (7, 16, 1))
        #expect(ExplorerState.matrixGeometry([0]) == (1, 0, 1))
    }

    @Test func aWrappedStripShowsEveryElementOnceAndTheShortLastRowIsNotInvented() throws {
        let values = (0 ..< 100).map { Float($0) - 50 }
        let tensor = try Tensor(values, shape: [100])
        let source = try openBuiltin().matrixSource(of: tensor, slice: 0)
        #expect(source.rows == 7 && source.cols == 16 && source.wrappedCount == 100)
        let grid = HeatmapDownsampler.grid(of: source, capacityRows: 32, capacityCols: 48, zoom: 0,
                                           pan: GridPoint(row: 0, col: 0), cursor: GridPoint(row: 6, col: 3))
        #expect(grid.rows == 7 && grid.cols == 16)
        #expect(grid.methodLabel == "100 wrapped 16/row, 1:1")
        for index in 0 ..< 100 { #expect(grid.value(row: index / 16, col: index % 16) == values[index]) }
        #expect(grid.cursor == GridPoint(row: 6, col: 3))
        #expect(source.element(row: 6, col: 3) == values[99])
        #expect(source.element(row: 6, col: 4) == nil)
        let stats = try #require(TensorStatistics.compute(source)).0
        #expect(stats.count == 100 && stats.min == -50 && stats.max == 49)
    }

    @Test func aDownsampledWrappedStripKeepsItsOutlier() throws {
        var values = [Float](repeating: 0.5, count: 1000)
        values[999] = -7
        let source = try openBuiltin().matrixSource(of: try Tensor(values, shape: [1000]), slice: 0)
        let grid = HeatmapDownsampler.grid(of: source, capacityRows: 4, capacityCols: 4, zoom: 0,
                                           pan: GridPoint(row: 0, col: 0), cursor: nil)
        #expect(grid.methodLabel.hasPrefix("1000 wrapped 32/row, max |x| per"))
        #expect(grid.values.contains(-7))
    }
}
