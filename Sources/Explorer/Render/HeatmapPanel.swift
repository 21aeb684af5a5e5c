import TerminalUI

/// A heatmap grid drawn with its legend below it, sized to the grid rather than to the whole area, so the legend
/// sits right under the data.
struct HeatmapPanel {
    var grid: HeatmapGrid
    /// Overrides the grid's own scale (several grids side by side share one scale).
    var scale: Float?
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool
    var showsLegend = true

    /// Rows the legend needs below the heatmap.
    static let legendHeight = 3

    /// The heatmap capacity (rows, cols of data) of an area that also holds the legend.
    static func capacity(width: Int, height: Int, depth: ColorDepth, ascii: Bool, legend: Bool = true) -> (rows: Int, cols: Int) {
        Heatmap.capacity(width: width, height: max(0, height - (legend ? legendHeight : 0)), depth: depth, ascii: ascii)
    }

    /// The screen rectangle the grid itself takes at the top-left of `rect`.
    func heatmapRect(in rect: Rect) -> Rect {
        let g = Heatmap.geometry(depth: depth, ascii: ascii)
        let height = min(rect.height, (grid.rows + g.dataRowsPerCell - 1) / g.dataRowsPerCell)
        let width = min(rect.width, grid.cols * g.cellsPerValue)
        return Rect(x: rect.x, y: rect.y, width: width, height: height)
    }

    /// Draws the grid and the legend; returns where the grid went.
    @discardableResult
    func render(in rect: Rect, buffer: inout Buffer) -> Rect {
        let map = heatmapRect(in: rect)
        guard grid.rows > 0, grid.cols > 0, !map.isEmpty else { return map }
        let scale = self.scale ?? grid.scale
        let cursor = grid.cursor.map { (row: $0.row, col: $0.col) }
        Heatmap(values: grid.values, rows: grid.rows, cols: grid.cols, scale: scale, cursor: cursor, theme: theme,
                depth: depth, ascii: ascii).render(in: map, buffer: &buffer)
        if showsLegend {
            let legendWidth = min(rect.width, max(map.width, 24))
            let legend = Rect(x: rect.x, y: map.maxY, width: legendWidth,
                              height: min(HeatmapPanel.legendHeight, rect.maxY - map.maxY))
            if legend.height > 0 {
                HeatmapLegend(scale: scale, methodLabel: grid.methodLabel, theme: theme, depth: depth, ascii: ascii)
                    .render(in: legend, buffer: &buffer)
            }
        }
        return map
    }
}
