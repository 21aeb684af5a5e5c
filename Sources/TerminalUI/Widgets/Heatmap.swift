/// A heatmap of a grid of values with a diverging colormap centred on 0.
///
/// The caller downsamples to at most `Heatmap.capacity(...)` rows × columns first (the widget draws one value per
/// data cell and clips the rest). How values map to the screen depends on the depth:
/// - colour depths, Unicode: two data rows per character cell with the upper half block ▀ (fg = top, bg = bottom);
/// - colour depths, `ascii`: one data row per cell, a space with the value's background colour;
/// - `.none` (NO_COLOR / monochrome): one data row per text row and two columns per value: a sign (`-` or space)
///   and a magnitude from the ramp `" .:=+*#%@"` by |x| / scale.
/// NaN, +Inf and −Inf draw as `N`, `+`, `-` (`N!`, `+!`, `-!` in character mode) in `theme.nonFinite`, never as a
/// colour, so they can't be mistaken for values.
public struct Heatmap {
    /// Values row-major, `rows * cols` of them.
    public var values: [Float]
    /// Number of data rows.
    public var rows: Int
    /// Number of data columns.
    public var cols: Int
    /// Symmetric scale: −scale maps to the negative end, +scale to the positive end (values beyond are clamped).
    public var scale: Float
    /// The data cell to highlight, if any.
    public var cursor: (row: Int, col: Int)?
    /// Colours.
    public var theme: Theme
    /// The depth to draw for (decides the mode, see the type's comment).
    public var depth: ColorDepth
    /// ASCII-only output.
    public var ascii: Bool

    /// Creates a heatmap.
    public init(values: [Float], rows: Int, cols: Int, scale: Float, cursor: (row: Int, col: Int)? = nil,
                theme: Theme, depth: ColorDepth, ascii: Bool = false) {
        self.values = values
        self.rows = rows
        self.cols = cols
        self.scale = scale
        self.cursor = cursor
        self.theme = theme
        self.depth = depth
        self.ascii = ascii
    }

    /// Data rows per character row and character columns per data column in a mode.
    public static func geometry(depth: ColorDepth, ascii: Bool) -> (dataRowsPerCell: Int, cellsPerValue: Int) {
        if depth == .none { return (1, 2) }
        return ascii ? (1, 1) : (2, 1)
    }

    /// How many data rows and columns fit in a `width` × `height` area: the size to downsample to.
    public static func capacity(width: Int, height: Int, depth: ColorDepth, ascii: Bool) -> (rows: Int, cols: Int) {
        let g = geometry(depth: depth, ascii: ascii)
        return (max(0, height) * g.dataRowsPerCell, max(0, width) / g.cellsPerValue)
    }

    /// The data cell under screen cell (x, y) when drawn in `rect` (for mouse clicks); the top data row of a
    /// half-block cell.
    public static func dataCell(atX x: Int, y: Int, in rect: Rect, rows: Int, cols: Int, depth: ColorDepth,
                                ascii: Bool) -> (row: Int, col: Int)? {
        guard rect.contains(x: x, y: y) else { return nil }
        let g = geometry(depth: depth, ascii: ascii)
        let row = (y - rect.y) * g.dataRowsPerCell
        let col = (x - rect.x) / g.cellsPerValue
        return row < rows && col < cols ? (row, col) : nil
    }

    /// The colour of `value` at `depth` (finite values only): a blend between the theme's zero colour and its
    /// negative or positive end; at `.colors8`, one of five buckets: blue, cyan, the theme's zero colour, yellow,
    /// red (8 colours are too few to follow the theme's ends); `.default` at `.none`.
    public static func color(for value: Float, scale: Float, theme: Theme, depth: ColorDepth) -> Color {
        let s = scale.isFinite && scale > 0 ? scale : 1
        let t = max(-1, min(1, value / s))
        switch depth {
        case .none:
            return .default
        case .colors8:
            let magnitude = abs(t)
            if magnitude < 0.2 { return theme.heatmapZero.downgraded(to: .colors8) }
            if t < 0 { return magnitude < 0.6 ? .ansi(6) : .ansi(4) }
            return magnitude < 0.6 ? .ansi(3) : .ansi(1)
        case .colors256, .trueColor:
            return theme.heatmapZero.mixed(with: t < 0 ? theme.heatmapNegative : theme.heatmapPositive, abs(t))
        }
    }

    /// A value that marks a gap in the grid (between the kernels of a convolution grid): drawn as background. A
    /// NaN with its own payload, so no computed NaN is ever taken for a gap.
    public static let gap = Float(bitPattern: 0x7FC0_6A70)

    /// Whether `value` is the gap marker.
    public static func isGap(_ value: Float) -> Bool { value.bitPattern == gap.bitPattern }

    /// The magnitude ramp of character mode, lowest first.
    public static let characterRamp: [Character] = Array(" .:=+*#%@")

    /// The glyph marking a non-finite value (`N`, `+`, `-`), nil for finite values.
    public static func nonFiniteGlyph(_ value: Float) -> String? {
        if value.isNaN { return "N" }
        if value.isInfinite { return value > 0 ? "+" : "-" }
        return nil
    }

    /// The two characters for `value` in character mode.
    public static func characters(for value: Float, scale: Float) -> String {
        if let glyph = nonFiniteGlyph(value) { return glyph + "!" }
        let s = scale.isFinite && scale > 0 ? scale : 1
        let magnitude = min(1, abs(value) / s)
        var level = min(characterRamp.count - 1, Int(magnitude * Float(characterRamp.count)))
        if value != 0 && level == 0 { level = 1 }
        return (value < 0 ? "-" : " ") + String(characterRamp[level])
    }

    func value(_ row: Int, _ col: Int) -> Float? {
        guard row >= 0, row < rows, col >= 0, col < cols, row * cols + col < values.count else { return nil }
        return values[row * cols + col]
    }

    /// The cursor colour; at 8 colours green, the one basic colour the diverging buckets don't use.
    var cursorColor: Color { depth == .colors8 ? .ansi(2) : theme.heatmapCursor }

    func isCursor(_ row: Int, _ col: Int) -> Bool {
        guard let c = cursor else { return false }
        return c.row == row && c.col == col
    }

    /// Draws the heatmap at the top-left of `rect`; cells beyond the data keep the background.
    public func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.background))
        let g = Heatmap.geometry(depth: depth, ascii: ascii)
        for cy in 0..<rect.height {
            let topRow = cy * g.dataRowsPerCell
            if topRow >= rows { break }
            for col in 0..<cols {
                let x = rect.x + col * g.cellsPerValue
                if x + g.cellsPerValue > rect.maxX { break }
                let y = rect.y + cy
                if depth == .none {
                    drawCharacters(row: topRow, col: col, x: x, y: y, buffer: &buffer)
                } else if g.dataRowsPerCell == 1 {
                    drawBlock(row: topRow, col: col, x: x, y: y, buffer: &buffer)
                } else {
                    drawHalfBlock(topRow: topRow, col: col, x: x, y: y, buffer: &buffer)
                }
            }
        }
    }

    func drawCharacters(row: Int, col: Int, x: Int, y: Int, buffer: inout Buffer) {
        guard let v = value(row, col), !Heatmap.isGap(v) else { return }
        var style = v.isFinite ? theme.text : theme.nonFinite
        if isCursor(row, col) { style.attrs.insert(.reverse) }
        buffer.set(x: x, y: y, string: Heatmap.characters(for: v, scale: scale), style: style)
    }

    func drawBlock(row: Int, col: Int, x: Int, y: Int, buffer: inout Buffer) {
        guard let v = value(row, col), !Heatmap.isGap(v) else { return }
        if let glyph = Heatmap.nonFiniteGlyph(v) {
            var style = theme.nonFinite
            if isCursor(row, col) { style.attrs.insert(.reverse) }
            buffer.setCell(x: x, y: y, Cell(glyph, style: style))
            return
        }
        let color = isCursor(row, col) ? cursorColor : Heatmap.color(for: v, scale: scale, theme: theme, depth: depth)
        buffer.setCell(x: x, y: y, Cell(" ", style: Style(bg: color)))
    }

    func drawHalfBlock(topRow: Int, col: Int, x: Int, y: Int, buffer: inout Buffer) {
        guard let top = value(topRow, col) else { return }
        var bottom = value(topRow + 1, col)
        if let b = bottom, Heatmap.isGap(b) { bottom = nil }
        if Heatmap.isGap(top) {
            // A gap above a value: the lower half block in the value's colour.
            guard let b = bottom else { return }
            let color = isCursor(topRow + 1, col) ? cursorColor : Heatmap.color(for: b, scale: scale, theme: theme, depth: depth)
            if let glyph = Heatmap.nonFiniteGlyph(b) {
                var style = theme.nonFinite
                if isCursor(topRow + 1, col) { style.attrs.insert(.reverse) }
                buffer.setCell(x: x, y: y, Cell(glyph, style: style))
            } else {
                buffer.setCell(x: x, y: y, Cell("▄", style: Style(fg: color, bg: theme.background.bg)))
            }
            return
        }
        let cursorHere = isCursor(topRow, col) || isCursor(topRow + 1, col)
        let glyph = Heatmap.nonFiniteGlyph(top) ?? bottom.flatMap(Heatmap.nonFiniteGlyph)
        if let glyph {
            var style = theme.nonFinite
            if cursorHere { style.attrs.insert(.reverse) }
            buffer.setCell(x: x, y: y, Cell(glyph, style: style))
            return
        }
        let topColor = isCursor(topRow, col) ? cursorColor
            : Heatmap.color(for: top, scale: scale, theme: theme, depth: depth)
        let bottomColor: Color
        if let bottom {
            bottomColor = isCursor(topRow + 1, col) ? cursorColor
                : Heatmap.color(for: bottom, scale: scale, theme: theme, depth: depth)
        } else {
            bottomColor = theme.background.bg
        }
        buffer.setCell(x: x, y: y, Cell("▀", style: Style(fg: topColor, bg: bottomColor)))
    }
}
