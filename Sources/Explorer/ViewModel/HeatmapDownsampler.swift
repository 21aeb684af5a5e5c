import TerminalUI

/// Reduces a matrix to a heatmap grid: blocks of `blockRows × blockCols` elements become one value, the element
/// of largest magnitude with its sign (NaN beats everything, then ±Inf), so outliers and non-finite values stay
/// visible however far the view is zoomed out.
enum HeatmapDownsampler {
    /// Elements a window may read before rows inside each block are sampled (keeps huge tensors responsive).
    static let readBudget = 4_000_000

    /// Block size for a matrix of `rows × cols` in `capacityRows × capacityCols` values at `zoom` steps in.
    static func blockSize(rows: Int, cols: Int, capacityRows: Int, capacityCols: Int, zoom: Int) -> (rows: Int, cols: Int) {
        let fitRows = max(1, (rows + max(capacityRows, 1) - 1) / max(capacityRows, 1))
        let fitCols = max(1, (cols + max(capacityCols, 1) - 1) / max(capacityCols, 1))
        let shift = min(max(zoom, 0), 62)
        let divisor = 1 << shift
        return (max(1, (fitRows + divisor - 1) / divisor), max(1, (fitCols + divisor - 1) / divisor))
    }

    /// The largest zoom at which blocks are still bigger than one element in some direction, plus one (1:1).
    static func maxZoom(rows: Int, cols: Int, capacityRows: Int, capacityCols: Int) -> Int {
        var zoom = 0
        while zoom < 62 {
            let block = blockSize(rows: rows, cols: cols, capacityRows: capacityRows, capacityCols: capacityCols, zoom: zoom)
            if block.rows == 1 && block.cols == 1 { break }
            zoom += 1
        }
        return zoom
    }

    /// The top-left element of the window, clamped so the window stays inside the matrix.
    static func clampedPan(_ pan: GridPoint, rows: Int, cols: Int, block: (rows: Int, cols: Int),
                           capacityRows: Int, capacityCols: Int) -> GridPoint {
        let maxRow = max(0, rows - max(capacityRows, 1) * block.rows)
        let maxCol = max(0, cols - max(capacityCols, 1) * block.cols)
        return GridPoint(row: min(max(pan.row, 0), maxRow), col: min(max(pan.col, 0), maxCol))
    }

    /// Which of `a` and `b` a block keeps: NaN first, then the larger magnitude (Inf included).
    @inline(__always)
    static func dominant(_ a: Float, _ b: Float) -> Float {
        if a.isNaN { return a }
        if b.isNaN { return b }
        return Swift.abs(b) > Swift.abs(a) ? b : a
    }

    static func grid(of source: MatrixSource, capacityRows: Int, capacityCols: Int, zoom: Int, pan: GridPoint,
                     cursor: GridPoint?) -> HeatmapGrid {
        guard source.rows > 0, source.cols > 0, capacityRows > 0, capacityCols > 0 else { return .empty }
        let block = blockSize(rows: source.rows, cols: source.cols, capacityRows: capacityRows,
                              capacityCols: capacityCols, zoom: zoom)
        let origin = clampedPan(pan, rows: source.rows, cols: source.cols, block: block,
                                capacityRows: capacityRows, capacityCols: capacityCols)
        let gridRows = min(capacityRows, (source.rows - origin.row + block.rows - 1) / block.rows)
        let gridCols = min(capacityCols, (source.cols - origin.col + block.cols - 1) / block.cols)
        let lastRow = min(source.rows, origin.row + gridRows * block.rows)
        let windowElements = (lastRow - origin.row) * (gridCols * block.cols)
        let rowStep = max(1, windowElements / readBudget)
        var values = [Float](repeating: 0, count: gridRows * gridCols)
        let rowsToRead = stride(from: origin.row, to: lastRow, by: 1).filter { ($0 - origin.row) % block.rows % rowStep == 0 }
        let windowWidth = min(source.cols - origin.col, gridCols * block.cols)
        let reducer = HeatmapBlockReducer(width: windowWidth, blockCols: block.cols)
        var band = -1
        var padded = [Float](repeating: 0, count: source.wrappedCount == nil ? 0 : windowWidth)
        do {
            try values.withUnsafeMutableBufferPointer { output in
                try source.forEachRow(rowsToRead) { row, rowValues in
                    let gr = (row - origin.row) / block.rows
                    if gr != band {
                        if band >= 0 { reducer.finishBand(cells: gridCols, into: output.baseAddress! + band * gridCols) }
                        band = gr
                    }
                    if rowValues.count >= origin.col + windowWidth {
                        reducer.fold(row: rowValues.baseAddress! + origin.col)
                    } else {
                        // The short last row of a wrapped strip: the missing tail reads as 0, which never wins a
                        // block against a real element of larger magnitude.
                        for i in 0 ..< windowWidth {
                            let col = origin.col + i
                            padded[i] = col < rowValues.count ? rowValues[col] : 0
                        }
                        padded.withUnsafeBufferPointer { reducer.fold(row: $0.baseAddress!) }
                    }
                }
                if band >= 0 && !reducer.isEmpty {
                    reducer.finishBand(cells: gridCols, into: output.baseAddress! + band * gridCols)
                }
            }
        } catch {
            return .empty
        }
        var scale: Float = 0
        for v in values where v.isFinite { scale = Swift.max(scale, Swift.abs(v)) }
        var gridCursor: GridPoint?
        if let cursor, cursor.row >= origin.row, cursor.col >= origin.col {
            let gr = (cursor.row - origin.row) / block.rows, gc = (cursor.col - origin.col) / block.cols
            if gr < gridRows && gc < gridCols { gridCursor = GridPoint(row: gr, col: gc) }
        }
        var label = block.rows == 1 && block.cols == 1 ? "1:1" : "max |x| per \(block.rows)×\(block.cols) block"
        if rowStep > 1 { label += " (every \(NumberFormat.ordinal(rowStep)) row read)" }
        if let count = source.wrappedCount, source.rows > 1 {
            label = "\(count) wrapped \(source.cols)/row, " + label
        }
        return HeatmapGrid(values: values, rows: gridRows, cols: gridCols, scale: scale, methodLabel: label,
                           cursor: gridCursor, blockRows: block.rows, blockCols: block.cols, origin: origin,
                           matrixRows: source.rows, matrixCols: source.cols)
    }
}
