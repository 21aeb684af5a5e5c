/// A piece of text with its own style, for lines that mix colours.
public struct TextSpan: Hashable, Sendable {
    /// The text (no newlines).
    public var text: String
    /// Its style; nil uses the block's style.
    public var style: Style?

    /// Creates a span.
    public init(_ text: String, style: Style? = nil) {
        self.text = text
        self.style = style
    }
}

/// Lines of text, clipped or wrapped to the width, starting at `scrollOffset` (in wrapped lines).
public struct TextBlock {
    /// The lines, each a list of spans.
    public var lines: [[TextSpan]]
    /// Default style.
    public var style: Style
    /// Wrap long lines (at spaces when possible) instead of clipping them.
    public var wrap: Bool
    /// The first (wrapped) line shown.
    public var scrollOffset: Int

    /// A block of plain lines in one style.
    public init(lines: [String], style: Style, wrap: Bool = false, scrollOffset: Int = 0) {
        self.init(styledLines: lines.map { [TextSpan($0)] }, style: style, wrap: wrap, scrollOffset: scrollOffset)
    }

    /// A block of lines made of styled spans.
    public init(styledLines: [[TextSpan]], style: Style, wrap: Bool = false, scrollOffset: Int = 0) {
        self.lines = styledLines
        self.style = style
        self.wrap = wrap
        self.scrollOffset = scrollOffset
    }

    /// The screen lines for `width`: each source line split into rows of at most `width` columns.
    public func layout(width: Int) -> [[(Character, Style)]] {
        var rows: [[(Character, Style)]] = []
        for line in lines {
            let chars: [(Character, Style)] = line.flatMap { span in span.text.map { ($0, span.style ?? style) } }
            guard wrap, width > 0 else {
                rows.append(chars)
                continue
            }
            var start = 0
            repeat {
                var used = 0, end = start, lastSpace: Int? = nil
                while end < chars.count {
                    let w = DisplayWidth.of(chars[end].0)
                    if used + w > width { break }
                    if chars[end].0 == " " { lastSpace = end }
                    used += w
                    end += 1
                }
                if end < chars.count, let space = lastSpace, space > start { end = space + 1 }
                if end == start { end = start + 1 }  // a grapheme wider than the width: emit it alone
                rows.append(Array(chars[start..<min(end, chars.count)]))
                start = end
            } while start < chars.count
        }
        return rows
    }

    /// Draws the lines into `rect`.
    public func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(style))
        guard !rect.isEmpty else { return }
        let rows = layout(width: rect.width)
        let first = max(0, scrollOffset)
        for (i, row) in rows.dropFirst(first).prefix(rect.height).enumerated() {
            var x = rect.x
            let y = rect.y + i
            for (character, style) in row {
                x = buffer.set(x: x, y: y, string: String(character), style: style, clip: rect)
                if x >= rect.maxX { break }
            }
        }
    }
}
