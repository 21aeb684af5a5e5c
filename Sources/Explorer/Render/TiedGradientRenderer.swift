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
        let title = "gradient by use" + (ascii ? " | " : " · ") + passes + " accumulated since last zero"
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
            buffer.set(x: column.x, y: column.y, string: part.label, style: labelStyle, clip: column.row(0))
            let mapArea = Rect(x: column.x, y: column.y + 1, width: partWidth, height: mapHeight)
            let drawn = HeatmapPanel(grid: grids[i], scale: scale, theme: theme, depth: depth, ascii: ascii,
                                     showsLegend: false).render(in: mapArea, buffer: &buffer)
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
        buffer.set(x: rect.x, y: valuesY, string: cursorSum(grids), style: theme.text, clip: rect.row(valuesY - rect.y))
    }

    /// `at cursor: 0.1 + 0.2 = 0.3` from the grids' cursor cells (exact values when the grids are 1:1).
    private func cursorSum(_ grids: [HeatmapGrid]) -> String {
        let values: [Float] = grids.compactMap { grid in
            guard let c = grid.cursor, c.row < grid.rows, c.col < grid.cols else { return nil }
            return grid.value(row: c.row, col: c.col)
        }
        guard values.count == grids.count, let total = values.last else {
            return "uses add up to the gradient (max difference \(NumberFormat.short(tied.maxSumDiscrepancy)))"
        }
        let terms = values.dropLast().map { NumberFormat.short($0) }.joined(separator: " + ")
        return "at cursor: \(terms) = \(NumberFormat.short(total))"
            + "   (max difference \(NumberFormat.short(tied.maxSumDiscrepancy)))"
    }
}
