import TerminalUI

/// A heatmap grid drawn with its legend below it, sized to the grid rather than to the whole area, so the legend
/// sits right under the data. A small 1:1 grid is blown up (`HeatmapUpscale`) to fill the area.
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

    /// How much the grid is blown up in `rect`.
    func upscale(in rect: Rect) -> HeatmapUpscale {
        let capacity = HeatmapPanel.capacity(width: rect.width, height: rect.height, depth: depth, ascii: ascii,
                                             legend: showsLegend)
        return HeatmapUpscale.fitting(grid, capacity: capacity, depth: depth, ascii: ascii)
    }

    /// The screen rectangle the grid itself takes at the top-left of `rect`.
    func heatmapRect(in rect: Rect) -> Rect {
        heatmapRect(in: rect, upscale: upscale(in: rect))
    }

    private func heatmapRect(in rect: Rect, upscale: HeatmapUpscale) -> Rect {
        let g = Heatmap.geometry(depth: depth, ascii: ascii)
        let dataRows = grid.rows * upscale.rows, dataCols = grid.cols * upscale.cols
        let height = min(rect.height, (dataRows + g.dataRowsPerCell - 1) / g.dataRowsPerCell)
        let width = min(rect.width, dataCols * g.cellsPerValue)
        return Rect(x: rect.x, y: rect.y, width: width, height: height)
    }

    /// The method line under the legend: the grid's own ("1:1", "max |x| per 4×4 block") and the blow-up.
    func methodLabel(upscale: HeatmapUpscale) -> String {
        guard !upscale.isIdentity else { return grid.methodLabel }
        return grid.methodLabel + ", " + upscale.label(depth: depth, ascii: ascii)
    }

    /// Draws the grid and the legend; returns where the grid went and how much it was blown up.
    @discardableResult
    func render(in rect: Rect, buffer: inout Buffer) -> (rect: Rect, upscale: HeatmapUpscale) {
        let upscale = upscale(in: rect)
        let map = heatmapRect(in: rect, upscale: upscale)
        guard grid.rows > 0, grid.cols > 0, !map.isEmpty else { return (map, upscale) }
        let scale = self.scale ?? grid.scale
        if upscale.isIdentity {
            let cursor = grid.cursor.map { (row: $0.row, col: $0.col) }
            Heatmap(values: grid.values, rows: grid.rows, cols: grid.cols, scale: scale, cursor: cursor, theme: theme,
                    depth: depth, ascii: ascii).render(in: map, buffer: &buffer)
        } else {
            let big = upscale.expanded(grid)
            Heatmap(values: big.values, rows: big.rows, cols: big.cols, scale: scale, cursor: nil, theme: theme,
                    depth: depth, ascii: ascii).render(in: map, buffer: &buffer)
            if let cursor = grid.cursor, cursor.row < grid.rows, cursor.col < grid.cols {
                let g = Heatmap.geometry(depth: depth, ascii: ascii)
                let width = upscale.cols * g.cellsPerValue, height = upscale.rows / g.dataRowsPerCell
                let block = Rect(x: map.x + cursor.col * width, y: map.y + cursor.row * height, width: width,
                                 height: height).intersection(map)
                HeatmapUpscale.drawCursor(over: block, theme: theme, depth: depth, buffer: &buffer)
            }
        }
        if showsLegend {
            let legendWidth = min(rect.width, max(map.width, 24))
            let legend = Rect(x: rect.x, y: map.maxY, width: legendWidth,
                              height: min(HeatmapPanel.legendHeight, rect.maxY - map.maxY))
            if legend.height > 0 {
                let label = methodLabel(upscale: upscale)
                HeatmapLegend(scale: scale, methodLabel: label, theme: theme, depth: depth, ascii: ascii,
                              scaleNote: scale == 0 && grid.hasNoFiniteValue ? "no finite value" : nil)
                    .render(in: legend, buffer: &buffer)
                // The method line may be longer than the colour bar; it gets the area's whole width.
                if legend.height == HeatmapPanel.legendHeight, DisplayWidth.of(label) > legend.width {
                    let line = Rect(x: rect.x, y: legend.y + 2, width: rect.width, height: 1)
                    buffer.set(x: line.x, y: line.y, string: label, style: theme.dimText, clip: line)
                }
            }
        }
        return (map, upscale)
    }
}
