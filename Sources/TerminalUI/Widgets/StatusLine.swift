/// The one-row status line: a message on the left (in `theme.error` when it is an error) and an optional hint on
/// the right.
public struct StatusLine {
    /// The message.
    public var text: String
    /// Draw the message as an error.
    public var isError: Bool
    /// Right-aligned text (e.g. "? help"); dropped when the message needs the room.
    public var rightText: String
    /// Colours.
    public var theme: Theme

    /// Creates a status line.
    public init(text: String, isError: Bool = false, rightText: String = "", theme: Theme) {
        self.text = text
        self.isError = isError
        self.rightText = rightText
        self.theme = theme
    }

    /// Draws into the first row of `rect`.
    public func render(in rect: Rect, buffer: inout Buffer) {
        let line = rect.row(0)
        buffer.fill(line, with: .blank(theme.status))
        guard !line.isEmpty else { return }
        var messageStyle = theme.status
        if isError {
            messageStyle.fg = theme.error.fg
            messageStyle.attrs.formUnion(theme.error.attrs)
        }
        let end = buffer.set(x: line.x, y: line.y, string: text, style: messageStyle, clip: line)
        let rightWidth = DisplayWidth.of(rightText)
        if !rightText.isEmpty, end + 1 < line.maxX - rightWidth {
            buffer.set(x: line.maxX - rightWidth, y: line.y, string: rightText, style: theme.status, clip: line)
        }
    }
}
