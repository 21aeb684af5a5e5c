import TerminalUI

/// Draws a parameter or buffer in the detail pane: its names (`2.weight = 4.weight`), shape and dtype, the
/// heatmap with legend, the cursor's index and exact value, statistics with a histogram, and for a shared
/// parameter after a backward pass the gradient of each use beside their sum.
struct TensorDetailRenderer {
    var detail: TensorDetailViewModel
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool

    /// Columns the statistics block takes when there is room for it beside the heatmap.
    static let statsWidth = 22
    /// The narrowest statistics column (`zeros 12 of 64`).
    static let minimumStatsWidth = 14

    /// Draws into the pane's inner area; returns the main heatmap's grid and screen rectangle (for mouse clicks).
    func render(in rect: Rect, buffer: inout Buffer) -> DrawnHeatmap? {
        guard rect.height > 0 else { return nil }
        var y = rect.y
        var namesStyle = theme.text.adding(.bold)
        if detail.names.count > 1 { namesStyle.fg = theme.sharedMarkerColor(0) }
        var x = buffer.set(x: rect.x, y: y, string: detail.namesText, style: namesStyle, clip: rect.row(0))
        if detail.isEdited {
            var style = theme.text.adding(.bold)
            style.fg = theme.error.fg
            x = buffer.set(x: x, y: y, string: ascii ? "  (edited, unsaved)" : "  ✎ edited, unsaved", style: style,
                           clip: rect.row(0))
        }
        y += 1
        guard y < rect.maxY else { return nil }
        buffer.set(x: rect.x, y: y, string: summaryLine(width: rect.width), style: theme.dimText, clip: rect.row(y - rect.y))
        y += 1
        if let message = detail.message, y < rect.maxY {
            y += 1
            buffer.set(x: rect.x, y: y, string: message, style: theme.dimText, clip: rect.row(y - rect.y))
            y += 1
        }
        guard detail.stats != nil, y + 1 < rect.maxY else { return nil }
        y += 1
        let body = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
        if let tied = detail.tiedGradients, !tied.contributions.isEmpty, body.height >= 14 {
            let tiedHeight = max(8, body.height * 45 / 100)
            let parts = body.splitVertically([.fill, .fixed(tiedHeight)])
            let main = renderMain(in: parts[0].splitVertically([.fill, .fixed(1)])[0], buffer: &buffer)
            TiedGradientRenderer(tied: tied, theme: theme, depth: depth, ascii: ascii)
                .render(in: parts[1], buffer: &buffer)
            return main
        }
        return renderMain(in: body, buffer: &buffer)
    }

    /// `parameter · [8, 8] · F32 · values · zoom 1:1 · scope tensor` and, for ≥3-d tensors, the slice.
    /// In a narrow pane the parts that say least go first: the default edit scope, then the kind.
    private func summaryLine(width: Int) -> String {
        let dot = ascii ? " | " : " · "
        var parts = summaryParts
        let droppable = [scopeName == "tensor" ? "scope tensor" : nil, "parameter"].compactMap { $0 }
        for part in droppable where DisplayWidth.of(parts.joined(separator: dot)) > width {
            parts.removeAll { $0 == part }
        }
        return parts.joined(separator: dot)
    }

    private var summaryParts: [String] {
        var parts: [String] = []
        switch detail.kind {
        case .parameter: parts.append("parameter")
        case .buffer: parts.append("buffer")
        case .module: parts.append("module output")  // a module's captured output, read only
        }
        parts.append(detail.shapeText)
        parts.append(detail.dtype)
        if detail.isLazyUninitialised { parts.append("not initialised (run f)") }
        parts.append(detail.showing == .gradient ? "gradient" : "values")
        if let grid = detail.kernelGrid {
            // Zoomed: one output channel's kernels (`-` back to all of them); `<` `>` step the output channel.
            parts.append(grid.zoomedChannel.map { "output channel \($0) of \(grid.outChannels) (- < >)" }
                         ?? "\(grid.outChannels)×\(grid.inChannels) kernels \(grid.kernelRows)×\(grid.kernelCols) (+ < >)")
        } else if detail.zoomLevel > 0 { parts.append("zoom +\(detail.zoomLevel)") }
        parts.append("scope \(scopeName)")
        if detail.layout == .stacked {
            let slice = detail.leadingIndices.map(String.init) + [":", ":"]
            parts.append("slice [" + slice.joined(separator: ", ") + "] of " + ShapeText.of(detail.leadingShape) + " (< >)")
        }
        return parts
    }

    private var scopeName: String {
        switch detail.editScope {
        case .tensor, .selected: return "tensor"
        case .row: return "row"
        case .column: return "column"
        }
    }

    /// The heatmap (or scalar) with the cursor line and legend on the left, the statistics on the right.
    private func renderMain(in fullBody: Rect, buffer: inout Buffer) -> DrawnHeatmap? {
        guard !fullBody.isEmpty else { return nil }
        // The cursor line (or a scalar's value) spans the whole width, so the exact value is never clipped by the
        // statistics beside it.
        if detail.layout == .scalar {
            let value = detail.cursorText ?? (detail.scalarValue ?? detail.cursorValue).map(NumberFormat.exact)
            let text = "value  " + (value ?? "-")
            buffer.set(x: fullBody.x, y: fullBody.y, string: text, style: theme.text.adding(.bold),
                       clip: fullBody.row(0))
        } else {
            buffer.set(x: fullBody.x, y: fullBody.y, string: cursorLine, style: theme.text, clip: fullBody.row(0))
        }
        let body = Rect(x: fullBody.x, y: fullBody.y + 1, width: fullBody.width, height: max(0, fullBody.height - 1))
        guard !body.isEmpty else { return nil }
        let side = sideColumnWidth(bodyWidth: body.width)
        let hasSideColumn = side > 0
        let statsWidth = side
        let columns = body.splitHorizontally([.fill, .fixed(hasSideColumn ? 2 : 0), .fixed(statsWidth)])
        var left = columns[0]
        if hasSideColumn {
            StatsColumn(stats: detail.stats, histogram: detail.histogram, theme: theme, ascii: ascii)
                .render(in: columns[2], buffer: &buffer)
        } else {
            // Narrow pane: the statistics go under the heatmap instead, in the rows the heatmap leaves.
            let split = left.splitVertically([.fill, .fixed(min(9, left.height / 3))])
            left = split[0]
            StatsColumn(stats: detail.stats, histogram: nil, theme: theme, ascii: ascii).render(in: split[1], buffer: &buffer)
        }
        if detail.layout == .scalar { return nil }
        let area = left
        // A short area gives all its rows to the data; the legend needs three.
        let showsLegend = area.height >= 2 + HeatmapPanel.legendHeight
        let capacity = HeatmapPanel.capacity(width: area.width, height: area.height, depth: depth, ascii: ascii,
                                             legend: showsLegend)
        let grid = detail.heatmap(rows: capacity.rows, cols: capacity.cols)
        let panel = HeatmapPanel(grid: grid, theme: theme, depth: depth, ascii: ascii, showsLegend: showsLegend)
        let drawn = panel.render(in: area, buffer: &buffer)
        return DrawnHeatmap(grid: grid, rect: drawn.rect, capacity: capacity, upscale: drawn.upscale)
    }

    /// Columns the statistics get beside the heatmap, 0 to put them under it. A wide pane always has the room; a
    /// narrow one too when the tensor is small enough to show 1:1 in what is left, so a small matrix isn't
    /// squeezed into a few rows by statistics that could sit beside it.
    private func sideColumnWidth(bodyWidth: Int) -> Int {
        if bodyWidth >= 44 { return min(TensorDetailRenderer.statsWidth, bodyWidth / 3) }
        let matrixCols: Int
        switch detail.layout {
        case .scalar: matrixCols = 1
        case .strip: matrixCols = detail.shape.last ?? 1
        case .matrix, .stacked: matrixCols = detail.shape.last ?? 1
        case .kernelGrid: matrixCols = detail.kernelGrid?.cols ?? 1
        }
        let dataWidth = matrixCols * Heatmap.geometry(depth: depth, ascii: ascii).cellsPerValue
        let room = bodyWidth - 2 - max(dataWidth, 24)
        return room >= TensorDetailRenderer.minimumStatsWidth ? min(TensorDetailRenderer.statsWidth, room) : 0
    }

    /// `cursor [1, 3] = 0.123456789` with the exact value (Float's shortest round-trip spelling).
    private var cursorLine: String {
        if detail.kernelGrid != nil, detail.cursorIndex.count == 4 {
            let value = detail.cursorText ?? detail.cursorValue.map(NumberFormat.exact) ?? "-"
            let what = detail.showing == .gradient ? "grad" : "value"
            let i = detail.cursorIndex
            return ascii ? "kernel [\(i[0]), \(i[1])] | element [\(i[2]), \(i[3])]  \(what) = \(value)"
                : "kernel [\(i[0]), \(i[1])] · element [\(i[2]), \(i[3])]  \(what) = \(value)"
        }
        let index = "[" + detail.cursorIndex.map(String.init).joined(separator: ", ") + "]"
        let value = detail.cursorText ?? detail.cursorValue.map(NumberFormat.exact) ?? "-"
        let what = detail.showing == .gradient ? "grad" : "value"
        return "cursor \(index)  \(what) = \(value)"
    }
}
