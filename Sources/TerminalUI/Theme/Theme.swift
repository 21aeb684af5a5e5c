/// Named colour roles every screen draws with. Loaded from TOML files (see themes/README.md); `builtInDefault`
/// works without any file.
public struct Theme: Hashable, Sendable {
    /// The theme's name (file name without `.toml` for loaded themes).
    public var name: String
    /// Whole-screen background and default text.
    public var background: Style
    /// Ordinary text.
    public var text: Style
    /// Secondary text (shapes, dtypes, hints).
    public var dimText: Style
    /// Header line and pane titles.
    public var header: Style
    /// The selected row.
    public var selection: Style
    /// Module type names in the tree (`Linear(8 → 8)`).
    public var treeType: Style
    /// Marker colours for shared (tied) items; tie group `i` uses `sharedMarkers[i % count]`.
    public var sharedMarkers: [Color]
    /// Error messages.
    public var error: Style
    /// The status line.
    public var status: Style
    /// Heatmap colour for the most negative value.
    public var heatmapNegative: Color
    /// Heatmap colour for zero.
    public var heatmapZero: Color
    /// Heatmap colour for the most positive value.
    public var heatmapPositive: Color
    /// Heatmap cursor cell colour.
    public var heatmapCursor: Color
    /// NaN / ±Inf cells (heatmaps, sparklines).
    public var nonFinite: Style
    /// Histogram bars.
    public var histogram: Style
    /// Sparkline glyphs.
    public var sparkline: Style
    /// Box borders.
    public var border: Style
    /// The richest colour depth this theme should be shown at (`.none` for the monochrome theme).
    public var maximumDepth: ColorDepth

    /// The marker colour of tie group `group` (cycles through `sharedMarkers`).
    public func sharedMarkerColor(_ group: Int) -> Color {
        sharedMarkers.isEmpty ? .default : sharedMarkers[((group % sharedMarkers.count) + sharedMarkers.count) % sharedMarkers.count]
    }

    /// The depth to draw at: the terminal's depth, capped by `maximumDepth`.
    public func effectiveDepth(terminal: ColorDepth) -> ColorDepth { min(terminal, maximumDepth) }

    /// The theme compiled into the program (the same as themes/default-dark.toml).
    public static let builtInDefault = Theme(
        name: "default-dark",
        background: Style(),
        text: Style(fg: .rgb(0xd0, 0xd0, 0xd0)),
        dimText: Style(fg: .rgb(0x80, 0x80, 0x80)),
        header: Style(fg: .rgb(0xff, 0xff, 0xff), bg: .rgb(0x30, 0x30, 0x50), attrs: .bold),
        selection: Style(fg: .rgb(0xff, 0xff, 0xff), bg: .rgb(0x3a, 0x5f, 0x8a), attrs: .bold),
        treeType: Style(fg: .rgb(0x87, 0xaf, 0xd7)),
        sharedMarkers: [.rgb(0xff, 0xaf, 0x00), .rgb(0x00, 0xd7, 0xaf), .rgb(0xd7, 0x87, 0xff), .rgb(0x87, 0xd7, 0x00),
                        .rgb(0xff, 0x5f, 0x87), .rgb(0x5f, 0xd7, 0xff)],
        error: Style(fg: .rgb(0xff, 0x5f, 0x5f), attrs: .bold),
        status: Style(fg: .rgb(0xd0, 0xd0, 0xd0), bg: .rgb(0x26, 0x26, 0x26)),
        heatmapNegative: .rgb(0x21, 0x66, 0xac),
        heatmapZero: .rgb(0xf7, 0xf7, 0xf7),
        heatmapPositive: .rgb(0xb2, 0x18, 0x2b),
        heatmapCursor: .rgb(0xff, 0xff, 0x00),
        nonFinite: Style(fg: .rgb(0x00, 0x00, 0x00), bg: .rgb(0xff, 0x00, 0xff), attrs: .bold),
        histogram: Style(fg: .rgb(0x5f, 0xaf, 0xd7)),
        sparkline: Style(fg: .rgb(0x87, 0xd7, 0x87)),
        border: Style(fg: .rgb(0x5f, 0x5f, 0x87)),
        maximumDepth: .trueColor
    )
}
