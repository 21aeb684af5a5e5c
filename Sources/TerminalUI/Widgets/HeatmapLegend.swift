/// The colour bar under a heatmap: a bar from −scale to +scale, labels `-s`, `0`, `+s` below it, and a line
/// saying how the data was downsampled (passed in, e.g. "max |x| per 4×4 block" or "1:1").
/// Uses up to three rows of `rect`.
public struct HeatmapLegend {
    /// The heatmap's symmetric scale.
    public var scale: Float
    /// How the shown grid was made from the data.
    public var methodLabel: String
    /// Colours.
    public var theme: Theme
    /// The heatmap's depth (same mode as the heatmap).
    public var depth: ColorDepth
    /// ASCII-only output.
    public var ascii: Bool

    /// Creates a legend.
    public init(scale: Float, methodLabel: String, theme: Theme, depth: ColorDepth, ascii: Bool = false) {
        self.scale = scale
        self.methodLabel = methodLabel
        self.theme = theme
        self.depth = depth
        self.ascii = ascii
    }

    /// Draws the legend.
    public func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.background))
        guard !rect.isEmpty else { return }
        let w = rect.width
        for i in 0..<w {
            let t: Float = w == 1 ? 0 : -1 + 2 * Float(i) / Float(w - 1)
            let v = t * scale
            if depth == .none {
                let chars = Heatmap.characters(for: v, scale: scale)
                buffer.set(x: rect.x + i, y: rect.y, string: String(chars.last ?? " "), style: theme.text)
            } else {
                let color = Heatmap.color(for: v, scale: scale, theme: theme, depth: depth)
                buffer.setCell(x: rect.x + i, y: rect.y, Cell(" ", style: Style(bg: color)))
            }
        }
        guard rect.height >= 2 else { return }
        let y = rect.y + 1
        let magnitude = NumberFormat.short(abs(scale))
        let lowLabel = "-" + magnitude, highLabel = "+" + magnitude
        let clip = rect.row(1)
        buffer.set(x: rect.x, y: y, string: lowLabel, style: theme.dimText, clip: clip)
        buffer.set(x: rect.x + (w - 1) / 2, y: y, string: "0", style: theme.dimText, clip: clip)
        buffer.set(x: rect.maxX - DisplayWidth.of(highLabel), y: y, string: highLabel, style: theme.dimText, clip: clip)
        if rect.height >= 3 {
            buffer.set(x: rect.x, y: rect.y + 2, string: methodLabel, style: theme.dimText, clip: rect.row(2))
        }
    }
}
