import TerminalUI

/// How far a small heatmap is blown up on screen: each grid value repeated over `rows` data rows × `cols` data
/// columns, so an 8×8 weight fills the pane instead of a corner of it.
///
/// Only a 1:1 grid (each value one element) is scaled, by a whole factor, so the elements stay equal-sized, keep
/// roughly square on screen (a character cell is about twice as tall as wide) and a click maps back exactly.
struct HeatmapUpscale: Equatable {
    /// Data rows per grid value.
    var rows: Int
    /// Data columns per grid value.
    var cols: Int

    /// No scaling.
    static let identity = HeatmapUpscale(rows: 1, cols: 1)

    /// The widest an element gets on screen, in character columns: beyond that a bigger block shows nothing new.
    static let maximumElementWidth = 12

    var isIdentity: Bool { rows == 1 && cols == 1 }

    /// The largest square-looking factor that fits `grid` into `capacity` (data rows × columns of the area), or
    /// `.identity` for a downsampled grid or one that already fills the area.
    static func fitting(_ grid: HeatmapGrid, capacity: (rows: Int, cols: Int), depth: ColorDepth,
                        ascii: Bool) -> HeatmapUpscale {
        guard grid.blockRows == 1, grid.blockCols == 1, grid.rows > 0, grid.cols > 0 else { return .identity }
        let geometry = Heatmap.geometry(depth: depth, ascii: ascii)
        // Data columns per data row that make a square: a half block (2 rows per cell) is square as it is; a full
        // colour cell is twice as tall as wide, so it needs two columns per row; a character pair is square.
        let colsPerRow = depth != .none && geometry.dataRowsPerCell == 1 ? 2 : 1
        var k = min(capacity.rows / grid.rows, capacity.cols / (grid.cols * colsPerRow))
        k = min(k, maximumElementWidth / (colsPerRow * geometry.cellsPerValue))
        // Half blocks: an even factor keeps every element on whole character rows.
        if geometry.dataRowsPerCell == 2, k > 2 { k -= k % 2 }
        guard k > 1 else { return .identity }
        return HeatmapUpscale(rows: k, cols: k * colsPerRow)
    }

    /// The grid with every value repeated `rows` × `cols` times (the cursor is left out: the caller draws it over
    /// the whole block).
    func expanded(_ grid: HeatmapGrid) -> (values: [Float], rows: Int, cols: Int) {
        let outRows = grid.rows * rows, outCols = grid.cols * cols
        var values = [Float]()
        values.reserveCapacity(outRows * outCols)
        for r in 0..<outRows {
            let sourceRow = r / rows
            for c in 0..<outCols { values.append(grid.value(row: sourceRow, col: c / cols)) }
        }
        return (values, outRows, outCols)
    }

    /// The grid cell under data cell (`row`, `col`) of the expanded heatmap.
    func gridCell(dataRow row: Int, dataCol col: Int) -> (row: Int, col: Int) {
        (row / rows, col / cols)
    }

    /// `each element 4×2 cells` (character columns × rows on screen).
    func label(depth: ColorDepth, ascii: Bool) -> String {
        let geometry = Heatmap.geometry(depth: depth, ascii: ascii)
        let width = cols * geometry.cellsPerValue
        let height = max(1, rows / geometry.dataRowsPerCell)
        return "each element \(width)\(ascii ? "x" : "×")\(height) cells"
    }

    /// Marks the cursor's whole block (screen rectangle `block`) the way the widget marks a 1:1 cursor: the cursor
    /// colour, or reversed characters where there is no colour or the cell shows a NaN / ±Inf glyph.
    static func drawCursor(over block: Rect, theme: Theme, depth: ColorDepth, buffer: inout Buffer) {
        let color: Color = depth == .colors8 ? .ansi(2) : theme.heatmapCursor
        for y in block.y..<block.maxY {
            for x in block.x..<block.maxX {
                guard var cell = buffer[x, y] else { continue }
                if depth == .none || (cell.symbol != " " && cell.symbol != "▀") {
                    cell.style.attrs.insert(.reverse)
                } else {
                    cell = Cell(cell.symbol, style: Style(fg: color, bg: color))
                }
                buffer.setCell(x: x, y: y, cell)
            }
        }
    }
}
