import NNCore
import TerminalUI

/// How a 4-d convolution kernel `[out, in, kh, kw]` is laid out as one 2-d grid of small heatmaps: rows of kernels
/// are output channels, columns are input channels, each kernel a kh × kw block, with a one-cell gap between
/// kernels. Zoomed, the grid holds only one output channel's row of kernels (shown large).
///
/// The single place that maps a grid cell to a tensor element: the cursor, `e`, the edit scopes and the cursor
/// line all go through `tensorIndex(row:col:)`.
struct KernelGrid: Equatable {
    let outChannels: Int
    let inChannels: Int
    let kernelRows: Int
    let kernelCols: Int
    /// The output channel shown alone (zoomed), nil for the whole grid.
    let zoomedChannel: Int?

    /// Largest kernel drawn as a grid cell block; bigger 4-d tensors (not kernels) keep the stacked slices.
    static let largestKernelSide = 16

    /// The grid of a tensor of `shape`, nil unless it is a 4-d kernel with non-empty dimensions and small kernels.
    init?(shape: [Int], zoomedChannel: Int? = nil) {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }), shape[2] <= Self.largestKernelSide,
              shape[3] <= Self.largestKernelSide,
              shape[0] <= Int.max / (shape[2] + 1), shape[1] <= Int.max / (shape[3] + 1) else { return nil }
        outChannels = shape[0]
        inChannels = shape[1]
        kernelRows = shape[2]
        kernelCols = shape[3]
        self.zoomedChannel = zoomedChannel.map { min(max($0, 0), shape[0] - 1) }
    }

    /// Grid rows: every output channel's kernels and the gaps between them, or one channel's when zoomed.
    var rows: Int { zoomedChannel == nil ? outChannels * (kernelRows + 1) - 1 : kernelRows }
    /// Grid columns: every input channel's kernel and the gaps between them.
    var cols: Int { inChannels * (kernelCols + 1) - 1 }

    /// The tensor index `[o, i, y, x]` of grid cell (`row`, `col`), nil for a gap or outside the grid.
    func tensorIndex(row: Int, col: Int) -> [Int]? {
        guard row >= 0, row < rows, col >= 0, col < cols else { return nil }
        let o = zoomedChannel ?? row / (kernelRows + 1)
        let y = zoomedChannel == nil ? row % (kernelRows + 1) : row
        let i = col / (kernelCols + 1), x = col % (kernelCols + 1)
        guard y < kernelRows, x < kernelCols else { return nil }
        return [o, i, y, x]
    }

    /// The row-major flat index of grid cell (`row`, `col`) in the tensor, nil for a gap.
    func flatIndex(row: Int, col: Int) -> Int? {
        guard let index = tensorIndex(row: row, col: col) else { return nil }
        return ((index[0] * inChannels + index[1]) * kernelRows + index[2]) * kernelCols + index[3]
    }

    /// The grid cell of tensor index `[o, i, y, x]` (the inverse of `tensorIndex`); in a zoomed grid, the row is
    /// within the zoomed channel (other channels have no cell: nil).
    func cell(of index: [Int]) -> GridPoint? {
        guard index.count == 4 else { return nil }
        let (o, i, y, x) = (index[0], index[1], index[2], index[3])
        guard o >= 0, o < outChannels, i >= 0, i < inChannels, y >= 0, y < kernelRows, x >= 0, x < kernelCols
        else { return nil }
        if let zoomedChannel, zoomedChannel != o { return nil }
        let row = zoomedChannel == nil ? o * (kernelRows + 1) + y : y
        return GridPoint(row: row, col: i * (kernelCols + 1) + x)
    }

    /// The rows of the tensor's `[O·I·kh, kw]` matrix that grid row `row` shows (kernel row y of output channel o
    /// for every input channel), empty for a gap row.
    func wholeRows(ofGridRow row: Int) -> [Int] {
        guard let first = tensorIndex(row: row, col: 0) else { return [] }
        return (0 ..< inChannels).map { ((first[0] * inChannels + $0) * kernelRows) + first[2] }
    }

    /// The nearest grid cell to (`row`, `col`) that is an element, stepping in the direction of travel first so
    /// arrow keys hop over gaps.
    func nearestElement(row: Int, col: Int, dRow: Int = 0, dCol: Int = 0) -> GridPoint {
        var r = min(max(row, 0), rows - 1), c = min(max(col, 0), cols - 1)
        if tensorIndex(row: r, col: c) == nil, dRow != 0 || dCol != 0 {
            let nr = r + dRow, nc = c + dCol
            if nr >= 0, nr < rows, nc >= 0, nc < cols, tensorIndex(row: nr, col: nc) != nil { return GridPoint(row: nr, col: nc) }
        }
        // A gap row sits below a kernel's last row, a gap column right of its last column: step back.
        if zoomedChannel == nil, r % (kernelRows + 1) == kernelRows { r -= 1 }
        if c % (kernelCols + 1) == kernelCols { c -= 1 }
        return GridPoint(row: r, col: c)
    }
}
