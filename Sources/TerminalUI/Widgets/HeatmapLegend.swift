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
    /// Said instead of the `-s 0 +s` labels when the scale means nothing (every value shown is NaN or ±inf).
    public var scaleNote: String?

    /// Creates a legend.
    public init(scale: Float, methodLabel: String, theme: Theme, depth: ColorDepth, ascii: Bool = false,
                scaleNote: String? = nil) {
        self.scale = scale
        self.scaleNote = scaleNote
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
        if let scaleNote {
            buffer.set(x: rect.x, y: y, string: scaleNote, style: theme.dimText, clip: rect.row(1))
        } else {
            labels(in: rect, y: y, buffer: &buffer)
        }
        if rect.height >= 3 {
            buffer.set(x: rect.x, y: rect.y + 2, string: methodLabel, style: theme.dimText, clip: rect.row(2))
        }
    }

    /// `-s`, `0` and `+s` under the bar's ends and middle, each only where it does not touch another (a narrow
    /// bar gets `±s` alone rather than labels run together).
    private func labels(in rect: Rect, y: Int, buffer: inout Buffer) {
        let w = rect.width
        let magnitude = NumberFormat.short(abs(scale))
        let lowLabel = "-" + magnitude, highLabel = "+" + magnitude
        let clip = rect.row(1)
        let lowWidth = DisplayWidth.of(lowLabel), highWidth = DisplayWidth.of(highLabel)
        guard lowWidth + 1 + highWidth <= w else {
            buffer.set(x: rect.x, y: y, string: "±" + magnitude, style: theme.dimText, clip: clip)
            return
        }
        buffer.set(x: rect.x, y: y, string: lowLabel, style: theme.dimText, clip: clip)
        let highX = rect.maxX - highWidth
        buffer.set(x: highX, y: y, string: highLabel, style: theme.dimText, clip: clip)
        let zeroX = rect.x + (w - 1) / 2
        if zeroX >= rect.x + lowWidth + 1 && zeroX + 1 < highX {
            buffer.set(x: zeroX, y: y, string: "0", style: theme.dimText, clip: clip)
        }
    }
}
