import NNCore
import ModelFiles
import TerminalUI

/// The elements of one matrix (the 2-d view of a tensor slice), read row by row: from a live tensor, from a
/// plain array, or straight from a file record's bytes without materialising the tensor.
final class MatrixSource {
    enum Elements {
        /// Row-major values, `rows * cols` of them.
        case values([Float])
        /// A contiguous tensor; the matrix starts at row `firstRow` of its matrix view.
        case tensor(Tensor, firstRow: Int)
        /// A file record; the matrix starts at row `firstRow` of the record's matrix view.
        case record(TensorRecord, firstRow: Int)
        /// A 4-d kernel laid out as `KernelGrid`, read from the whole tensor as a `[O·I·kh, kw]` matrix: each grid
        /// row gathers one kernel row of every input channel, so only the rows on screen are read.
        case kernels(KernelGrid, whole: MatrixSource)
    }

    let rows: Int
    let cols: Int
    let elements: Elements
    /// For a 1-d tensor wrapped into rows of `cols` (a strip): how many elements there are; the last row may be
    /// shorter. nil for a true matrix.
    let wrappedCount: Int?

    init(rows: Int, cols: Int, elements: Elements, wrappedCount: Int? = nil) {
        self.rows = rows
        self.cols = cols
        self.elements = elements
        self.wrappedCount = wrappedCount
    }

    /// Elements actually present in `row` (`cols`, except the last row of a wrapped strip).
    func width(ofRow row: Int) -> Int {
        guard let wrappedCount else { return cols }
        return max(0, min(cols, wrappedCount - row * cols))
    }

    /// Calls `body` with each requested row's values (valid only during the call). Rows outside the matrix are
    /// skipped.
    func forEachRow(_ rowIndices: some Sequence<Int>, _ body: (Int, UnsafeBufferPointer<Float>) -> Void) throws {
        let wanted = rowIndices.filter { $0 >= 0 && $0 < rows }
        switch elements {
        case .values(let values):
            values.withUnsafeBufferPointer { all in
                for row in wanted {
                    body(row, UnsafeBufferPointer(rebasing: all[row * cols ..< row * cols + width(ofRow: row)]))
                }
            }
        case .tensor(let tensor, let firstRow):
            try tensor.withUnsafeBufferPointer { all in
                for row in wanted {
                    let start = (firstRow + row) * cols
                    body(row, UnsafeBufferPointer(rebasing: all[start ..< start + width(ofRow: row)]))
                }
            }
        case .kernels(let grid, let whole):
            var buffer = [Float](repeating: Heatmap.gap, count: cols)
            for row in wanted {
                for i in buffer.indices { buffer[i] = Heatmap.gap }
                let wholeRows = grid.wholeRows(ofGridRow: row)
                if !wholeRows.isEmpty {
                    try whole.forEachRow(wholeRows) { wholeRow, values in
                        let start = (wholeRow / grid.kernelRows % grid.inChannels) * (grid.kernelCols + 1)
                        for x in 0 ..< min(values.count, grid.kernelCols) { buffer[start + x] = values[x] }
                    }
                }
                buffer.withUnsafeBufferPointer { body(row, $0) }
            }
        case .record(let record, _) where wrappedCount != nil:
            // The record's own matrix view of a 1-d tensor is its single row; the strip's rows are pieces of it.
            try record.withFloatRows([0]) { _, all in
                for row in wanted {
                    body(row, UnsafeBufferPointer(rebasing: all[row * cols ..< row * cols + width(ofRow: row)]))
                }
            }
        case .record(let record, let firstRow):
            try record.withFloatRows(wanted.map { $0 + firstRow }) { recordRow, values in
                body(recordRow - firstRow, values)
            }
        }
    }

    /// The element at (`row`, `col`), nil outside the matrix or when it cannot be read.
    func element(row: Int, col: Int) -> Float? {
        guard row >= 0, row < rows, col >= 0, col < cols else { return nil }
        var result: Float?
        try? forEachRow([row]) { _, values in if col < values.count { result = values[col] } }
        return result
    }
}
