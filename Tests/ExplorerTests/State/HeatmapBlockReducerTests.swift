import Testing
import NNCore
@testable import Explorer

/// The vectorised block reduction against the element-by-element fold it replaced (`dominant` over each block
/// row by row), on random shapes with odd sizes, windows panned off the origin, sampled rows, ties of opposite
/// signs, several NaNs with different payloads, infinities and signed zeros.
@Suite struct HeatmapBlockReducerTests {
    /// The previous implementation's loop: every read row folds each block's run with `dominant`, and blocks
    /// fold rows in order.
    func reference(_ values: [Float], rows: Int, cols: Int, grid: HeatmapGrid, rowStep: Int) -> [Float] {
        let origin = grid.origin, blockRows = grid.blockRows, blockCols = grid.blockCols
        var result = [Float](repeating: 0, count: grid.rows * grid.cols)
        var seen = [Bool](repeating: false, count: result.count)
        let lastRow = min(rows, origin.row + grid.rows * blockRows)
        for row in origin.row ..< lastRow where (row - origin.row) % blockRows % rowStep == 0 {
            let gr = (row - origin.row) / blockRows
            for gc in 0 ..< grid.cols {
                let start = origin.col + gc * blockCols, end = min(cols, start + blockCols)
                var best = values[row * cols + start]
                for c in start + 1 ..< max(end, start + 1) { best = HeatmapDownsampler.dominant(best, values[row * cols + c]) }
                let index = gr * grid.cols + gc
                result[index] = seen[index] ? HeatmapDownsampler.dominant(result[index], best) : best
                seen[index] = true
            }
        }
        return result
    }

    /// Equal bit for bit, so the first NaN's payload and the sign of a winning zero count too.
    func identical(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Random values with the hard cases sprinkled in.
    func values(count: Int, generator: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { _ in
            let pick = generator.nextUniform()
            switch pick {
            case ..<0.02: return Float(bitPattern: 0x7FC0_0000 | UInt32(generator.nextUniform() * 1000))  // NaN payloads
            case ..<0.03: return Float(bitPattern: 0xFFC0_0000 | UInt32(generator.nextUniform() * 1000))  // negative NaNs
            case ..<0.04: return generator.nextUniform() < 0.5 ? .infinity : -.infinity
            case ..<0.10: return generator.nextUniform() < 0.5 ? 2 : -2  // ties of opposite sign
            case ..<0.15: return generator.nextUniform() < 0.5 ? 0 : -0.0
            default: return generator.nextNormal()
            }
        }
    }

    @Test(arguments: [(1, 1), (3, 8), (7, 9), (17, 33), (64, 200), (129, 257), (5, 1031)])
    func matchesTheElementByElementFold(rows: Int, cols: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 7919 + cols))
        for trial in 0 ..< 6 {
            let data = values(count: rows * cols, generator: &generator)
            let source = MatrixSource(rows: rows, cols: cols, elements: .values(data))
            let capacityRows = 1 + Int(generator.nextUniform() * Float(rows + 3))
            let capacityCols = 1 + Int(generator.nextUniform() * Float(cols + 3))
            let zoom = trial % 3
            let pan = GridPoint(row: Int(generator.nextUniform() * Float(rows)), col: Int(generator.nextUniform() * Float(cols)))
            let grid = HeatmapDownsampler.grid(of: source, capacityRows: capacityRows, capacityCols: capacityCols,
                                               zoom: zoom, pan: pan, cursor: nil)
            #expect(grid.rows > 0 && grid.cols > 0)
            let expected = reference(data, rows: rows, cols: cols, grid: grid, rowStep: 1)
            #expect(identical(grid.values, expected), "\(rows)×\(cols) capacity \(capacityRows)×\(capacityCols) zoom \(zoom) pan \(pan)")
        }
    }

    /// Above the read budget only every k-th row of each block is read; the result must still be the fold of
    /// exactly those rows, and the label must say so.
    @Test func sampledRowsMatchTheFoldOfTheRowsRead() {
        let rows = 4_001, cols = 2_049
        var generator = SeededGenerator(seed: 99)
        let data = values(count: rows * cols, generator: &generator)
        let source = MatrixSource(rows: rows, cols: cols, elements: .values(data))
        let grid = HeatmapDownsampler.grid(of: source, capacityRows: 60, capacityCols: 200, zoom: 0,
                                           pan: GridPoint(row: 0, col: 0), cursor: nil)
        let windowElements = min(rows, grid.rows * grid.blockRows) * grid.cols * grid.blockCols
        let rowStep = max(1, windowElements / HeatmapDownsampler.readBudget)
        #expect(rowStep == 2)
        #expect(grid.methodLabel.hasSuffix("(every 2nd row read)"))
        #expect(identical(grid.values, reference(data, rows: rows, cols: cols, grid: grid, rowStep: rowStep)))
    }

    /// Reused for many bands, the reducer forgets the previous band: a huge value in band 0 must not leak.
    @Test func eachBandStartsAfresh() {
        let reducer = HeatmapBlockReducer(width: 19, blockCols: 4)
        var output = [Float](repeating: .nan, count: 5)
        let loud = [Float](repeating: -1000, count: 19), quiet = (0 ..< 19).map { Float($0) / 10 }
        loud.withUnsafeBufferPointer { reducer.fold(row: $0.baseAddress!) }
        output.withUnsafeMutableBufferPointer { reducer.finishBand(cells: 5, into: $0.baseAddress!) }
        #expect(output == [-1000, -1000, -1000, -1000, -1000])
        quiet.withUnsafeBufferPointer { reducer.fold(row: $0.baseAddress!) }
        output.withUnsafeMutableBufferPointer { reducer.finishBand(cells: 5, into: $0.baseAddress!) }
        #expect(output == [0.3, 0.7, 1.1, 1.5, 1.8])
        #expect(reducer.isEmpty)
    }
}
