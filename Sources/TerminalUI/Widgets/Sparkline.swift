/// One row of ▁…█ glyphs for the last `rect.width` values of a series (e.g. the loss history), scaled between
/// their min and max. Non-finite values show as `!` in `theme.nonFinite`.
public struct Sparkline {
    /// The series, oldest first.
    public var values: [Float]
    /// Colours.
    public var theme: Theme
    /// ASCII-only output (ramp `_.-~=+*#`).
    public var ascii: Bool

    /// Creates a sparkline.
    public init(values: [Float], theme: Theme, ascii: Bool = false) {
        self.values = values
        self.theme = theme
        self.ascii = ascii
    }

    static let unicodeRamp: [String] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiRamp: [String] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    /// Glyph and finiteness for each shown value.
    func glyphs(for shown: ArraySlice<Float>) -> [(String, Bool)] {
        let finite = shown.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        let ramp = ascii ? Sparkline.asciiRamp : Sparkline.unicodeRamp
        return shown.map { v in
            guard v.isFinite else { return ("!", false) }
            let level = hi > lo ? Int(((v - lo) / (hi - lo) * 7).rounded()) : 3
            return (ramp[Swift.max(0, Swift.min(7, level))], true)
        }
    }

    /// Draws the newest values, right-aligned, in the first row of `rect`.
    public func render(in rect: Rect, buffer: inout Buffer) {
        let line = rect.row(0)
        buffer.fill(line, with: .blank(theme.background))
        guard !line.isEmpty, !values.isEmpty else { return }
        let shown = values.suffix(line.width)
        var x = line.maxX - shown.count
        for (glyph, finite) in glyphs(for: shown) {
            buffer.setCell(x: x, y: line.y, Cell(glyph, style: finite ? theme.sparkline : theme.nonFinite))
            x += 1
        }
    }
}
