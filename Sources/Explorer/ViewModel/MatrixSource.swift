import NNCore
import ModelFiles

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
    }

    let rows: Int
    let cols: Int
    let elements: Elements

    init(rows: Int, cols: Int, elements: Elements) {
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// Calls `body` with each requested row's values (valid only during the call). Rows outside the matrix are
    /// skipped.
    func forEachRow(_ rowIndices: some Sequence<Int>, _ body: (Int, UnsafeBufferPointer<Float>) -> Void) throws {
        let wanted = rowIndices.filter { $0 >= 0 && $0 < rows }
        switch elements {
        case .values(let values):
            values.withUnsafeBufferPointer { all in
                for row in wanted {
                    body(row, UnsafeBufferPointer(rebasing: all[row * cols ..< row * cols + cols]))
                }
            }
        case .tensor(let tensor, let firstRow):
            try tensor.withUnsafeBufferPointer { all in
                for row in wanted {
                    let start = (firstRow + row) * cols
                    body(row, UnsafeBufferPointer(rebasing: all[start ..< start + cols]))
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
        try? forEachRow([row]) { _, values in result = values[col] }
        return result
    }
}
