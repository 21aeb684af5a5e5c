import TerminalUI

/// Draws an attention pattern: a title (`head 1 of 12`), the key tokens across the top, the query tokens down the
/// left, and each probability as a coloured cell with its value written in it (so it reads without colour too).
/// Long tokens are truncated; queries and keys that do not fit are counted below the grid.
struct AttentionPanel {
    var attention: AttentionViewModel
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool

    /// Columns of a query label at most (tokens are cut to it).
    static let maxLabelWidth = 10
    /// Columns of one key cell at least and at most.
    static let cellWidths = 4...8

    func render(in rect: Rect, buffer: inout Buffer) {
        var y = rect.y
        func line(_ text: String, _ style: Style) { buffer.writeLine(text, style: style, in: rect, at: &y) }
        let dot = ascii ? " | " : " · "
        var title = "attention " + attention.title
        if attention.textCount > 1 { title += dot + "text \(attention.sample + 1) of \(attention.textCount)" }
        line(title, theme.text.adding(.bold))
        line("rows: query tokens, columns: key tokens" + dot + "< > head (after the last: mean)"
             + (attention.textCount > 1 ? dot + "{ } text" : ""), theme.dimText)
        let queries = attention.queryTokens, keys = attention.keyTokens
        let labelWidth = min(Self.maxLabelWidth, queries.map(DisplayWidth.of).max() ?? 1) + 1
        let available = max(0, rect.width - labelWidth)
        let cellWidth = min(Self.cellWidths.upperBound, max(Self.cellWidths.lowerBound,
                            keys.isEmpty ? Self.cellWidths.lowerBound : available / keys.count))
        let shownKeys = min(keys.count, available / cellWidth)
        // Three lines stay for the note about hidden tokens, the cursor and the strongest pair.
        let shownQueries = min(queries.count, max(0, rect.maxY - y - 4))
        guard shownKeys > 0, shownQueries > 0 else {
            line("the pane is too small for the pattern", theme.dimText)
            return
        }
        // The window scrolls so the cursor stays in it.
        let firstQuery = max(0, attention.cursor.row - shownQueries + 1)
        let firstKey = max(0, attention.cursor.col - shownKeys + 1)
        if y < rect.maxY {
            for k in 0..<shownKeys {
                let x = rect.x + labelWidth + k * cellWidth
                buffer.set(x: x, y: y, string: truncated(keys[firstKey + k], to: cellWidth - 1), style: theme.treeType,
                           clip: rect.row(y - rect.y))
            }
            y += 1
        }
        for row in 0..<shownQueries where y < rect.maxY {
            let q = firstQuery + row
            let clip = rect.row(y - rect.y)
            buffer.set(x: rect.x, y: y, string: truncated(queries[q], to: labelWidth - 1), style: theme.treeType, clip: clip)
            for column in 0..<shownKeys {
                let k = firstKey + column
                let value = attention.values[q][k]
                var style = theme.text
                if depth != .none { style.bg = Heatmap.color(for: value, scale: 1, theme: theme, depth: depth) }
                let text = Self.cellText(value)
                let isCursor = q == attention.cursor.row && k == attention.cursor.col
                let open = isCursor ? (ascii ? "[" : "▸") : " "
                if isCursor { style = style.adding(.reverse) }
                let cell = String(repeating: " ", count: max(0, cellWidth - 2 - text.count)) + open + text + " "
                buffer.set(x: rect.x + labelWidth + column * cellWidth, y: y, string: cell, style: style, clip: clip)
            }
            y += 1
        }
        var hidden: [String] = []
        if shownQueries < queries.count { hidden.append("queries \(firstQuery + 1)-\(firstQuery + shownQueries) of \(queries.count)") }
        if shownKeys < keys.count { hidden.append("keys \(firstKey + 1)-\(firstKey + shownKeys) of \(keys.count)") }
        if !hidden.isEmpty { line("showing " + hidden.joined(separator: ", ") + " (the cursor scrolls)", theme.dimText) }
        let arrow = ascii ? "->" : "→"
        if let value = attention.cursorValue {
            line("cursor: query '\(queries[attention.cursor.row])' \(arrow) key '\(keys[attention.cursor.col])': \(Self.cellText(value, leadingZero: true))",
                 theme.text.adding(.bold))
        }
        if let best = attention.strongest {
            line("strongest: query '\(queries[best.query])' \(arrow) key '\(keys[best.key])': \(Self.cellText(best.value, leadingZero: true))",
                 theme.text)
        }
    }

    /// A probability in two decimals: `.31`, `1.0` (`0.31` with `leadingZero`).
    static func cellText(_ value: Float, leadingZero: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : "inf" }
        let hundredths = Int((value * 100).rounded())
        if hundredths >= 100 { return hundredths == 100 ? "1.0" : String(Float(hundredths) / 100) }
        let digits = hundredths < 10 ? "0\(max(hundredths, 0))" : "\(hundredths)"
        return (leadingZero ? "0." : ".") + digits
    }

    /// `text` cut to `width` columns, its last shown column a `…` (`~` in ASCII) when cut.
    func truncated(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard DisplayWidth.of(text) > width else { return text }
        var result = ""
        for character in text {
            let next = result + String(character)
            if DisplayWidth.of(next) > width - 1 { break }
            result = next
        }
        return result + (ascii ? "~" : "…")
    }
}
