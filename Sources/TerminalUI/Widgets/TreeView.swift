/// One row of a `TreeView`, as plain data.
public struct TreeRow: Hashable, Sendable {
    /// Nesting depth (0 = top level); each level indents by `TreeView.indentWidth` columns.
    public var depth: Int
    /// Whether the row has children (draws ▸ or ▾).
    public var isExpandable: Bool
    /// Whether its children are shown (▾) or hidden (▸).
    public var isExpanded: Bool
    /// An optional marker glyph before the text (e.g. "◆" for a shared item), drawn in `markerColor`.
    public var marker: String?
    /// The marker's colour (e.g. `theme.sharedMarkerColor(group)`).
    public var markerColor: Color?
    /// The main text (a name).
    public var text: String
    /// Optional second text right after the main one, in `theme.treeType` (e.g. `Linear(8 → 8)`).
    public var detail: String?
    /// Right-aligned column texts (shape, count, grad norm …), one per `TreeView.columnWidths` entry.
    public var columns: [String]
    /// Draw the main text in `theme.dimText` (e.g. lazy, not yet initialised).
    public var isDimmed: Bool

    /// Creates a row.
    public init(depth: Int, text: String, detail: String? = nil, isExpandable: Bool = false, isExpanded: Bool = false,
                marker: String? = nil, markerColor: Color? = nil, columns: [String] = [], isDimmed: Bool = false) {
        self.depth = depth
        self.text = text
        self.detail = detail
        self.isExpandable = isExpandable
        self.isExpanded = isExpanded
        self.marker = marker
        self.markerColor = markerColor
        self.columns = columns
        self.isDimmed = isDimmed
    }
}

/// A scrolling tree list. Rows come from `rowCount` and a `row(at:)` closure, and only the visible rows are asked
/// for, so a 100,000-row tree renders as fast as a 60-row one.
///
/// ```swift
/// var offset = 0
/// offset = TreeView.scrollOffset(cursor: cursor, previousOffset: offset, visibleRows: pane.height, rowCount: n)
/// TreeView(rowCount: n, row: { rows[$0] }, cursor: cursor, scrollOffset: offset,
///          columnWidths: [10, 8], theme: theme).render(in: pane, buffer: &buffer)
/// ```
public struct TreeView {
    /// Columns of indentation per depth level.
    public static let indentWidth = 2
    /// Total number of (visible, i.e. expanded) rows.
    public var rowCount: Int
    /// Produces row `index` (0..<rowCount); called only for rows on screen.
    public var row: (Int) -> TreeRow
    /// The selected row, highlighted with `theme.selection`.
    public var cursor: Int
    /// The first row shown; compute it with `scrollOffset(cursor:previousOffset:visibleRows:rowCount:)`.
    public var scrollOffset: Int
    /// Widths of the right-aligned columns, left to right (a column that doesn't fit is dropped from the left).
    public var columnWidths: [Int]
    /// Colours.
    public var theme: Theme
    /// Use `>`/`v` instead of ▸/▾.
    public var ascii: Bool

    /// Creates a tree view.
    public init(rowCount: Int, row: @escaping (Int) -> TreeRow, cursor: Int, scrollOffset: Int,
                columnWidths: [Int] = [], theme: Theme, ascii: Bool = false) {
        self.rowCount = rowCount
        self.row = row
        self.cursor = cursor
        self.scrollOffset = scrollOffset
        self.columnWidths = columnWidths
        self.theme = theme
        self.ascii = ascii
    }

    /// The scroll offset that keeps `cursor` visible, moving as little as possible from `previousOffset`.
    public static func scrollOffset(cursor: Int, previousOffset: Int, visibleRows: Int, rowCount: Int) -> Int {
        guard visibleRows > 0, rowCount > 0 else { return 0 }
        var offset = previousOffset
        if cursor < offset { offset = cursor }
        if cursor >= offset + visibleRows { offset = cursor - visibleRows + 1 }
        return max(0, min(offset, rowCount - visibleRows))
    }

    /// The row index under screen row `y` in `rect` at `scrollOffset`, or nil (for mouse clicks).
    public static func rowIndex(atY y: Int, in rect: Rect, scrollOffset: Int, rowCount: Int) -> Int? {
        guard y >= rect.y, y < rect.maxY else { return nil }
        let index = scrollOffset + (y - rect.y)
        return index >= 0 && index < rowCount ? index : nil
    }

    /// Draws the visible rows into `rect`.
    public func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.text))
        guard !rect.isEmpty, rowCount > 0 else { return }
        let first = max(0, min(scrollOffset, rowCount - 1))
        let last = min(rowCount, first + rect.height)
        for index in first..<last {
            let y = rect.y + (index - first)
            let isSelected = index == cursor
            renderRow(row(index), y: y, rect: rect, selected: isSelected, buffer: &buffer)
        }
    }

    func renderRow(_ item: TreeRow, y: Int, rect: Rect, selected: Bool, buffer: inout Buffer) {
        let base = selected ? theme.selection : theme.text
        let line = rect.row(y - rect.y)
        buffer.fill(line, with: .blank(base))
        // Right-aligned columns first, so the name knows how much room is left.
        var right = rect.maxX
        var columnsStart = rect.maxX
        for (i, width) in columnWidths.enumerated().reversed() {
            let start = right - width
            // Keep at least a third of the pane for the name.
            guard start - 1 >= rect.x + rect.width / 3 else { break }
            let text = i < item.columns.count ? item.columns[i] : ""
            let textWidth = DisplayWidth.of(text)
            let style = selected ? base : theme.dimText
            buffer.set(x: start + max(0, width - textWidth), y: y, string: text, style: style,
                       clip: Rect(x: start, y: y, width: width, height: 1))
            right = start - 1
            columnsStart = right
        }
        let nameClip = Rect(x: rect.x, y: y, width: columnsStart - rect.x, height: 1)
        var x = rect.x + item.depth * TreeView.indentWidth
        let expander = item.isExpandable ? (item.isExpanded ? (ascii ? "v" : "▾") : (ascii ? ">" : "▸")) : " "
        x = buffer.set(x: x, y: y, string: expander + " ", style: base, clip: nameClip)
        if let marker = item.marker {
            let glyph = ascii ? String(marker.unicodeScalars.allSatisfy(\.isASCII) ? marker : "*") : marker
            var style = base
            if let color = item.markerColor { style.fg = color }
            style.attrs.insert(.bold)
            x = buffer.set(x: x, y: y, string: glyph + " ", style: style, clip: nameClip)
        }
        let textStyle = item.isDimmed && !selected ? theme.dimText : base
        x = buffer.set(x: x, y: y, string: item.text, style: textStyle, clip: nameClip)
        if let detail = item.detail, !detail.isEmpty {
            let detailStyle = selected ? base : theme.treeType
            buffer.set(x: x + 2, y: y, string: detail, style: detailStyle, clip: nameClip)
        }
    }
}
