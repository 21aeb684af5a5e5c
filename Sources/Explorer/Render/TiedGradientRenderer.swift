import TerminalUI

/// Draws a shared parameter's gradient split by use: one heatmap per use and the accumulated gradient beside them
/// (`via 2 + via 4 = sum`), all on one colour scale, with how many backward passes have accumulated since the
/// last zero — the book's "the gradients are added" made visible.
struct TiedGradientRenderer {
    var tied: TiedGradientViewModel
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        guard rect.height >= 4 else { return }
        let passes = tied.backwardCount == 1 ? "1 backward pass" : "\(tied.backwardCount) backward passes"
        let accumulated = passes + " accumulated since last zero"
        let full = "gradient by use" + (ascii ? " | " : " · ") + accumulated
        let short = passes + " since zero"
        let title = [full, accumulated].first { DisplayWidth.of($0) <= rect.width } ?? short
        buffer.set(x: rect.x, y: rect.y, string: title, style: theme.text.adding(.bold), clip: rect.row(0))
        let parts = tied.contributions + [tied.sum]
        let separatorWidth = 3
        let partWidth = max(1, (rect.width - separatorWidth * (parts.count - 1)) / parts.count)
        // Rows: title, label, heatmap…, norm, cursor values.
        let mapHeight = max(1, rect.height - 4)
        let capacity = Heatmap.capacity(width: partWidth, height: mapHeight, depth: depth, ascii: ascii)
        let grids = parts.map { $0.heatmap(rows: capacity.rows, cols: capacity.cols) }
        let scale = grids.map(\.scale).max() ?? 0
        var x = rect.x
        var mapBottom = rect.y + 2
        for (i, part) in parts.enumerated() {
            let column = Rect(x: x, y: rect.y + 1, width: partWidth, height: rect.height - 1)
            let isSum = i == parts.count - 1
            let labelStyle = isSum ? theme.text.adding(.bold) : theme.text
            buffer.set(x: column.x, y: column.y, string: TiedGradientRenderer.fitting(part.label, width: partWidth),
                       style: labelStyle, clip: column.row(0))
            let mapArea = Rect(x: column.x, y: column.y + 1, width: partWidth, height: mapHeight)
            let drawn = HeatmapPanel(grid: grids[i], scale: scale, theme: theme, depth: depth, ascii: ascii,
                                     showsLegend: false).render(in: mapArea, buffer: &buffer).rect
            mapBottom = max(mapBottom, drawn.maxY)
            let norm = (ascii ? "|g| " : "‖g‖ ") + NumberFormat.short(part.norm)
            buffer.set(x: column.x, y: drawn.maxY, string: norm, style: theme.dimText,
                       clip: Rect(x: column.x, y: drawn.maxY, width: partWidth, height: 1).intersection(rect))
            x += partWidth
            if i < parts.count - 1 {
                let glyph = i == parts.count - 2 ? "=" : "+"
                let middle = mapArea.y + max(0, drawn.height - 1) / 2
                buffer.set(x: x + 1, y: middle, string: glyph, style: theme.text.adding(.bold), clip: rect)
                x += separatorWidth
            }
        }
        let valuesY = mapBottom + 1
        guard valuesY < rect.maxY else { return }
        buffer.set(x: rect.x, y: valuesY, string: cursorSum(grids, width: rect.width), style: theme.text,
                   clip: rect.row(valuesY - rect.y))
    }

    /// A use's label shortened to fit its column: `via module 2` → `via 2`, `sum = grad` → `sum`,
    /// `via transformer.wte` → `transformer.wte` → `…former.wte` (the end of a path names the module).
    static func fitting(_ label: String, width: Int) -> String {
        guard DisplayWidth.of(label) > width else { return label }
        if label.hasPrefix("via module ") { return "via " + label.dropFirst("via module ".count) }
        if label.hasPrefix("sum") { return "sum" }
        if label.hasPrefix("via ") {
            let path = String(label.dropFirst("via ".count))
            guard path.count > width, width > 1 else { return path }
            return "…" + path.suffix(width - 1)
        }
        return label
    }

    /// `at cursor: 0.1 + 0.2 = 0.3` from the grids' cursor cells — only when every grid is 1:1, because the
    /// largest-magnitude values of downsampled blocks don't add up.
    private func cursorSum(_ grids: [HeatmapGrid], width: Int) -> String {
        let check = "(off by \(NumberFormat.short(tied.maxSumDiscrepancy)))"
        let sentence = "the uses add up to the gradient " + check
        let fallback = DisplayWidth.of(sentence) <= width ? sentence : "uses add up to grad " + check
        let values: [Float] = grids.compactMap { grid in
            guard grid.blockRows == 1, grid.blockCols == 1, let c = grid.cursor, c.row < grid.rows, c.col < grid.cols
            else { return nil }
            return grid.value(row: c.row, col: c.col)
        }
        guard values.count == grids.count, let total = values.last else {
            return fallback
        }
        let terms = values.dropLast().map { NumberFormat.short($0) }.joined(separator: " + ")
        return "at cursor: \(terms) = \(NumberFormat.short(total))  " + check
    }
}
