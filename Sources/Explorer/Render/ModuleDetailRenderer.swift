import TerminalUI

/// Draws a module in the detail pane: every path it sits at, its summary and repr, the input and output shapes of
/// each call in the last forward pass, and a heatmap of the last output with its statistics.
struct ModuleDetailRenderer {
    var detail: ModuleDetailViewModel
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool

    /// Lines of the repr shown at most (the tree shows the rest).
    static let reprLines = 6

    /// Draws into the pane's inner area; returns the output heatmap's grid and screen rectangle.
    func render(in rect: Rect, buffer: inout Buffer) -> DrawnHeatmap? {
        var y = rect.y
        func line(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.set(x: rect.x, y: y, string: text, style: style, clip: rect.row(y - rect.y))
            y += 1
        }
        let names = detail.names.isEmpty ? [detail.path] : detail.names
        let shownNames = names.map { $0.isEmpty ? "(root)" : $0 }.joined(separator: " = ")
        var namesStyle = theme.text.adding(.bold)
        if names.count > 1 { namesStyle.fg = theme.sharedMarkerColor(0) }
        line(shownNames + "  " + detail.summary, namesStyle)
        let dot = ascii ? " | " : " · "
        var facts = ["module " + detail.typeName, NumberFormat.count(detail.parameterCount) + " params in subtree"]
        if names.count > 1 { facts.append("one instance used \(names.count) times") }
        line(facts.joined(separator: dot), theme.dimText)
        let repr = detail.repr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if repr.count > 1 {
            y += 1
            for text in repr.prefix(ModuleDetailRenderer.reprLines) { line(text, theme.treeType) }
            if repr.count > ModuleDetailRenderer.reprLines { line(ascii ? "..." : "…", theme.dimText) }
        }
        y += 1
        if let message = detail.message { line(message, theme.dimText) }
        let arrow = ascii ? " -> " : " → "
        if !detail.calls.isEmpty {
            line("last forward:", theme.text.adding(.bold))
            for (i, call) in detail.calls.enumerated() {
                let inputs = call.inputShapes.map(ShapeText.of).joined(separator: ", ")
                let output = call.outputShape.map(ShapeText.of) ?? "failed"
                line("  call \(i + 1) at \(call.path.isEmpty ? "(root)" : call.path): in \(inputs)\(arrow)out \(output)",
                     theme.text)
            }
        }
        guard detail.outputGrid != nil, y + 2 < rect.maxY else { return nil }
        y += 1
        line("output of the last call", theme.text.adding(.bold))
        let body = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
        let hasSideColumn = body.width >= 44
        let statsWidth = hasSideColumn ? min(TensorDetailRenderer.statsWidth, body.width / 3) : 0
        let columns = body.splitHorizontally([.fill, .fixed(hasSideColumn ? 2 : 0), .fixed(statsWidth)])
        if hasSideColumn {
            StatsColumn(stats: detail.outputStats, histogram: nil, theme: theme, ascii: ascii)
                .render(in: columns[2], buffer: &buffer)
        }
        let capacity = HeatmapPanel.capacity(width: columns[0].width, height: columns[0].height, depth: depth, ascii: ascii)
        let grid = detail.heatmap(rows: capacity.rows, cols: capacity.cols)
        let drawn = HeatmapPanel(grid: grid, theme: theme, depth: depth, ascii: ascii).render(in: columns[0], buffer: &buffer)
        return DrawnHeatmap(grid: grid, rect: drawn, capacity: capacity)
    }
}
