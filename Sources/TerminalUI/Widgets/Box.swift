/// A border around a rectangle with an optional title in the top edge (single-line box drawing or ASCII).
public struct Box {
    /// Title shown in the top border, if any.
    public var title: String?
    /// Colours.
    public var theme: Theme
    /// Draw with `+-|` instead of box-drawing characters.
    public var ascii: Bool
    /// Draw the border in the header colour (the pane with the keyboard focus).
    public var isFocused: Bool

    /// Creates a box.
    public init(title: String? = nil, theme: Theme, ascii: Bool = false, isFocused: Bool = false) {
        self.title = title
        self.theme = theme
        self.ascii = ascii
        self.isFocused = isFocused
    }

    /// The area inside the border.
    public static func inner(of rect: Rect) -> Rect { rect.inset(dx: 1, dy: 1) }

    /// Draws the border and title (the inside is left as it is) and returns the inner area.
    @discardableResult
    public func render(in rect: Rect, buffer: inout Buffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let (h, v, tl, tr, bl, br) = ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        var style = theme.border
        if isFocused {
            style.fg = theme.header.fg == .default ? theme.header.bg : theme.header.fg
            style.attrs.insert(.bold)
        }
        for x in rect.x + 1..<rect.maxX - 1 {
            buffer.setCell(x: x, y: rect.y, Cell(h, style: style))
            buffer.setCell(x: x, y: rect.maxY - 1, Cell(h, style: style))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            buffer.setCell(x: rect.x, y: y, Cell(v, style: style))
            buffer.setCell(x: rect.maxX - 1, y: y, Cell(v, style: style))
        }
        buffer.setCell(x: rect.x, y: rect.y, Cell(tl, style: style))
        buffer.setCell(x: rect.maxX - 1, y: rect.y, Cell(tr, style: style))
        buffer.setCell(x: rect.x, y: rect.maxY - 1, Cell(bl, style: style))
        buffer.setCell(x: rect.maxX - 1, y: rect.maxY - 1, Cell(br, style: style))
        if let title, !title.isEmpty, rect.width > 4 {
            let clip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            buffer.set(x: rect.x + 1, y: rect.y, string: " \(title) ", style: style.adding(.bold), clip: clip)
        }
        return Box.inner(of: rect)
    }
}
