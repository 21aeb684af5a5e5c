/// A position in a grid or matrix: row and column.
public struct GridPoint: Equatable, Hashable, Sendable {
    /// Row, 0-based.
    public var row: Int
    /// Column, 0-based.
    public var col: Int

    /// A point at (`row`, `col`).
    public init(row: Int, col: Int) {
        self.row = row
        self.col = col
    }
}

/// A tensor's matrix view reduced to what fits the heatmap area: each value is the element of largest magnitude
/// (sign kept) in its block, so a single outlier, NaN or ±Inf still shows.
public struct HeatmapGrid: Equatable, Sendable {
    /// Values row-major, `rows * cols` of them (NaN and ±Inf kept).
    public var values: [Float]
    /// Grid rows.
    public var rows: Int
    /// Grid columns.
    public var cols: Int
    /// Symmetric colour scale: the largest finite |x| in the grid (0 when every value is 0 or non-finite).
    public var scale: Float
    /// How the grid was made: "1:1" or "max |x| per 4×4 block".
    public var methodLabel: String
    /// The cursor's grid cell, nil when the cursor is outside the grid or there is none.
    public var cursor: GridPoint?
    /// Matrix elements per grid cell, vertically and horizontally.
    public var blockRows: Int
    /// Matrix elements per grid cell horizontally.
    public var blockCols: Int
    /// The matrix element at grid cell (0, 0).
    public var origin: GridPoint
    /// The whole matrix's size (rows × columns of the matrix view of the tensor slice shown).
    public var matrixRows: Int
    /// The whole matrix's column count.
    public var matrixCols: Int

    /// Whether the grid has values but none is finite (all NaN or ±inf): its scale of 0 means nothing.
    public var hasNoFiniteValue: Bool { !values.isEmpty && !values.contains { $0.isFinite } }

    /// The value at grid cell (`row`, `col`).
    public func value(row: Int, col: Int) -> Float { values[row * cols + col] }

    /// An empty grid (nothing to show).
    public static let empty = HeatmapGrid(values: [], rows: 0, cols: 0, scale: 0, methodLabel: "", cursor: nil,
                                          blockRows: 1, blockCols: 1, origin: GridPoint(row: 0, col: 0),
                                          matrixRows: 0, matrixCols: 0)
}
