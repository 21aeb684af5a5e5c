/// A one-line input field: a label, the text being typed and a cursor (drawn reversed), scrolled so the cursor
/// stays visible.
public struct Prompt {
    /// The label before the text ("value for [2, 3]: ").
    public var label: String
    /// The text typed so far.
    public var text: String
    /// Cursor position in characters (0...text.count).
    public var cursor: Int
    /// Colours.
    public var theme: Theme

    /// Creates a prompt.
    public init(label: String, text: String, cursor: Int, theme: Theme) {
        self.label = label
        self.text = text
        self.cursor = cursor
        self.theme = theme
    }

    /// Draws the prompt in the first row of `rect`.
    public func render(in rect: Rect, buffer: inout Buffer) {
        let line = rect.row(0)
        buffer.fill(line, with: .blank(theme.status))
        guard !line.isEmpty else { return }
        let labelEnd = buffer.set(x: line.x, y: line.y, string: label, style: theme.status.adding(.bold), clip: line)
        let field = Rect(x: labelEnd, y: line.y, width: line.maxX - labelEnd, height: 1)
        guard field.width > 0 else { return }
        let characters = Array(text)
        let position = max(0, min(cursor, characters.count))
        // Scroll so the cursor cell fits: show the last `field.width - 1` characters before it at most.
        var start = 0
        while DisplayWidth.of(String(characters[start..<position])) > field.width - 1 { start += 1 }
        var x = field.x
        for i in start...characters.count {
            if x >= field.maxX { break }
            let symbol = i < characters.count ? String(characters[i]) : " "
            let style = i == position ? theme.status.adding(.reverse) : theme.status
            x = buffer.set(x: x, y: field.y, string: symbol, style: style, clip: field)
        }
    }
}
