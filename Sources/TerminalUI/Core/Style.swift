/// Text attributes a cell can carry.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The bit pattern.
    public let rawValue: UInt8
    /// Creates attributes from a bit pattern.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Bold (often also brighter).
    public static let bold = TextAttributes(rawValue: 1)
    /// Dim / faint.
    public static let dim = TextAttributes(rawValue: 2)
    /// Foreground and background swapped.
    public static let reverse = TextAttributes(rawValue: 4)
    /// Underlined.
    public static let underline = TextAttributes(rawValue: 8)
}

/// Foreground, background and attributes of a cell.
public struct Style: Hashable, Sendable {
    /// Foreground (glyph) colour.
    public var fg: Color
    /// Background colour.
    public var bg: Color
    /// Bold, dim, reverse, underline.
    public var attrs: TextAttributes

    /// Creates a style; everything defaults to the terminal's defaults.
    public init(fg: Color = .default, bg: Color = .default, attrs: TextAttributes = []) {
        self.fg = fg
        self.bg = bg
        self.attrs = attrs
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    /// This style with the given attributes added.
    public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attrs.formUnion(extra)
        return copy
    }

    /// This style with another background.
    public func withBackground(_ color: Color) -> Style {
        var copy = self
        copy.bg = color
        return copy
    }

    /// The style with both colours downgraded to `depth`; at `.none` colour-only distinctions are lost, so
    /// callers that need them use attributes.
    public func downgraded(to depth: ColorDepth) -> Style {
        Style(fg: fg.downgraded(to: depth), bg: bg.downgraded(to: depth), attrs: attrs)
    }
}
