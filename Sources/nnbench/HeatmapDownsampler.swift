/// A stand-in for the explorer's heatmap downsampler (the integrator switches the benchmark to the real one):
/// the maximum |x| of each block of a rows×columns matrix, for a cellRows×cellColumns grid.
struct HeatmapDownsampler {
    let rows: Int
    let columns: Int
    let cellRows: Int
    let cellColumns: Int
    /// First matrix column of each cell column, plus `columns` at the end.
    let columnEdges: [Int]

    init(rows: Int, columns: Int, cellRows: Int, cellColumns: Int) {
        self.rows = rows
        self.columns = columns
        self.cellRows = cellRows
        self.cellColumns = cellColumns
        columnEdges = (0 ... cellColumns).map { $0 * columns / cellColumns }
    }

    /// The cell row a matrix row falls into.
    @inline(__always)
    func cellRow(of row: Int) -> Int { row * cellRows / rows }

    /// Folds one matrix row into `cells` (cellRows×cellColumns, row-major), keeping the max |x| per cell.
    @inline(__always)
    func accumulate(row: Int, values: UnsafePointer<Float>, into cells: inout [Float]) {
        let base = cellRow(of: row) * cellColumns
        for cell in 0 ..< cellColumns {
            var start = columnEdges[cell]
            let end = columnEdges[cell + 1]
            var best = SIMD8<Float>()
            let raw = UnsafeRawPointer(values)
            while start + 8 <= end {
                let v = raw.loadUnaligned(fromByteOffset: start * 4, as: SIMD8<Float>.self)
                // Select-based max: `pointwiseMax` is an unspecialised generic call here, 10× slower.
                let magnitude = v.replacing(with: -v, where: v .< 0)
                best = best.replacing(with: magnitude, where: magnitude .> best)
                start += 8
            }
            var scalar = best.max()
            while start < end {
                scalar = Swift.max(scalar, Swift.abs(values[start]))
                start += 1
            }
            if scalar > cells[base + cell] { cells[base + cell] = scalar }
        }
    }

    /// Downsamples a contiguous row-major matrix in memory.
    func downsample(_ matrix: UnsafePointer<Float>) -> [Float] {
        var cells = [Float](repeating: 0, count: cellRows * cellColumns)
        for row in 0 ..< rows { accumulate(row: row, values: matrix + row * columns, into: &cells) }
        return cells
    }
}
