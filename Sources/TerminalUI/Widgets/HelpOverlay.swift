/// A key binding as the help overlay lists it.
public struct KeyBinding: Hashable, Sendable {
    /// How the key is written ("j / Down").
    public var key: String
    /// What it does.
    public var description: String

    /// Creates a binding.
    public init(_ key: String, _ description: String) {
        self.key = key
        self.description = description
    }
}

/// A centred box listing key bindings, drawn over whatever is below it.
public struct HelpOverlay {
    /// The bindings, in display order.
    public var bindings: [KeyBinding]
    /// The box title.
    public var title: String
    /// Colours.
    public var theme: Theme
    /// ASCII borders.
    public var ascii: Bool

    /// Creates a help overlay.
    public init(bindings: [KeyBinding], title: String = "Keys (any key closes)", theme: Theme, ascii: Bool = false) {
        self.bindings = bindings
        self.title = title
        self.theme = theme
        self.ascii = ascii
    }

    /// The box the overlay takes inside `area`: sized to its content, centred, clipped to the area.
    public func frame(in area: Rect) -> Rect {
        let keyWidth = bindings.map { DisplayWidth.of($0.key) }.max() ?? 0
        let descriptionWidth = bindings.map { DisplayWidth.of($0.description) }.max() ?? 0
        let width = min(area.width, max(keyWidth + 2 + descriptionWidth, DisplayWidth.of(title) + 2) + 4)
        let height = min(area.height, bindings.count + 2)
        return Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                    width: width, height: height)
    }

    /// Draws the overlay centred in `area`.
    public func render(in area: Rect, buffer: inout Buffer) {
        let box = frame(in: area)
        buffer.fill(box, with: .blank(theme.text))
        let inner = Box(title: title, theme: theme, ascii: ascii, isFocused: true).render(in: box, buffer: &buffer)
        let keyWidth = bindings.map { DisplayWidth.of($0.key) }.max() ?? 0
        for (i, binding) in bindings.prefix(inner.height).enumerated() {
            let y = inner.y + i
            let clip = inner.row(i)
            buffer.set(x: inner.x + 1, y: y, string: binding.key, style: theme.header.withBackground(theme.text.bg),
                       clip: clip)
            buffer.set(x: inner.x + 1 + keyWidth + 2, y: y, string: binding.description, style: theme.text, clip: clip)
        }
    }
}
