import TerminalUI

/// Draws the module tree in its bordered pane: names and types, shapes and dtypes of tensors, subtree counts,
/// gradient norms, shared markers in their group's colour, lazy tensors dimmed and edited ones marked.
///
/// The visible tensor rows are laid out in aligned columns (name, shape, dtype, `∇` norm, count), each as wide as
/// its widest visible entry. When the pane is too narrow for all of them, the least important go first: the
/// gradient norm (the detail pane shows it too), then the count; a tensor's shape and dtype stay.
struct TreePaneRenderer {
    var tree: TreeViewModel
    var title: String
    var isFocused: Bool
    var theme: Theme
    var ascii: Bool

    func render(in pane: Rect, buffer: inout Buffer) {
        buffer.fill(pane, with: .blank(theme.text))
        let inner = Box(title: title, theme: theme, ascii: ascii, isFocused: isFocused).render(in: pane, buffer: &buffer)
        guard inner.width > 1, inner.height > 0 else { return }
        // Column 0 is a gutter with a pointer at the selected row, so the selection shows without colour too
        // (plain-text snapshots, monochrome terminals).
        let rows = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        // The state's offset was computed for its last known viewport; keep the cursor visible at this height too.
        let offset = TreeView.scrollOffset(cursor: tree.cursor, previousOffset: tree.scrollOffset,
                                           visibleRows: inner.height, rowCount: tree.rowCount)
        let tree = self.tree
        let visible = offset..<min(tree.rowCount, offset + rows.height)
        let plan = TreeColumnPlan(rows: visible.map { tree.row(at: $0) }, width: rows.width, ascii: ascii)
        let ascii = self.ascii
        let theme = self.theme
        TreeView(rowCount: tree.rowCount,
                 row: { TreePaneRenderer.treeRow(tree.row(at: $0), theme: theme, ascii: ascii, plan: plan) },
                 cursor: tree.cursor, scrollOffset: offset, columnWidths: plan.columnWidths,
                 theme: theme, ascii: ascii).render(in: rows, buffer: &buffer)
        if tree.cursor >= offset, tree.cursor < offset + rows.height {
            let style = isFocused ? theme.selection : theme.text.adding(.bold)
            buffer.set(x: inner.x, y: inner.y + tree.cursor - offset, string: ascii ? ">" : "▶", style: style)
        }
    }

    /// The widget row for a view-model row, laid out by `plan` (nil: unaligned, gradient and count columns).
    static func treeRow(_ row: TreeRowViewModel, theme: Theme, ascii: Bool, plan: TreeColumnPlan? = nil) -> TreeRow {
        let parts = TreeRowParts(row, ascii: ascii)
        var marker: String?
        var markerColor: Color?
        if let group = row.sharedGroup {
            marker = parts.marker
            markerColor = theme.sharedMarkerColor(group)
        }
        var text = parts.name
        var detail = parts.detail
        var columns = [parts.gradient, parts.count]
        if let plan {
            if plan.alignsTensors, row.kind != .module {
                text += String(repeating: " ", count: max(0, plan.nameColumn - parts.leadWidth - DisplayWidth.of(text)))
                let shape = row.shapeText
                detail = shape + String(repeating: " ", count: max(0, plan.shapeColumn - DisplayWidth.of(shape)))
                    + (parts.afterShape.isEmpty ? "" : "  " + parts.afterShape)
            }
            if plan.countWidth == 0, row.kind == .module {
                // No count column: a module keeps its count at the row's end (a tensor's is its shape's product).
                detail = TreePaneRenderer.inline(parts.count, after: parts.detail,
                                                 width: plan.rowWidth - parts.leadWidth - DisplayWidth.of(text) - 2,
                                                 ascii: ascii)
            }
            columns = []
            if plan.gradientWidth > 0 {
                // Left-aligned so the ∇ signs line up.
                let g = parts.gradient
                columns.append(g + String(repeating: " ", count: max(0, plan.gradientWidth - DisplayWidth.of(g))))
            }
            if plan.countWidth > 0 { columns.append(parts.count) }
        }
        return TreeRow(depth: row.depth, text: text, detail: detail, isExpandable: row.isExpandable,
                       isExpanded: row.isExpanded, marker: marker, markerColor: markerColor,
                       columns: columns, isDimmed: row.isLazyUninitialised)
    }
}

extension TreePaneRenderer {
    /// `summary … count` in `width` columns, the count right-aligned and the summary shortened first.
    static func inline(_ count: String, after summary: String, width: Int, ascii: Bool) -> String {
        let countWidth = DisplayWidth.of(count)
        let room = width - countWidth - 1
        guard room > 0 else { return summary }
        var shown = summary
        if DisplayWidth.of(shown) > room {
            let ellipsis = ascii ? "~" : "…"
            while !shown.isEmpty && DisplayWidth.of(shown) + 1 > room { shown.removeLast() }
            shown += ellipsis
        }
        return shown + String(repeating: " ", count: max(1, width - DisplayWidth.of(shown) - countWidth)) + count
    }
}

/// The texts of one tree row before layout.
struct TreeRowParts {
    /// `◆2` (`*2` in ASCII), empty when not shared.
    var marker: String
    /// The name with the edited mark.
    var name: String
    /// A module's summary or a tensor's `shape  dtype  extras`.
    var detail: String
    /// A tensor's `dtype  buffer  not initialised` (what follows the shape).
    var afterShape: String
    /// `∇ 1.265` or empty.
    var gradient: String
    /// Elements in the subtree (`?` while lazy).
    var count: String
    /// Columns before the name: indentation, expander, marker.
    var leadWidth: Int

    init(_ row: TreeRowViewModel, ascii: Bool) {
        marker = row.sharedGroup.map { (ascii ? "*" : "◆") + String($0 + 1) } ?? ""
        // A module's mark follows its name; a tensor's follows its dtype, so the name and shape columns do not
        // move when the first edit marks a row.
        let mark = ascii ? "(edited)" : "✎"
        name = row.name + (row.isEdited && row.kind == .module ? " " + mark : "")
        switch row.kind {
        case .module:
            afterShape = ""
            // ASCII folds each character alone, and a lone ">" would read as "greater than".
            detail = ascii ? row.typeSummary.replacing("→", with: "->") : row.typeSummary
        case .parameter, .buffer:
            var parts = [row.dtype]
            if row.kind == .buffer { parts.append("buffer") }
            if row.isLazyUninitialised { parts.append("not initialised") }
            afterShape = parts.filter { !$0.isEmpty }.joined(separator: "  ") + (row.isEdited ? " " + mark : "")
            detail = [row.shapeText, afterShape].filter { !$0.isEmpty }.joined(separator: "  ")
        }
        gradient = row.gradNorm.map { (ascii ? "g " : "∇ ") + NumberFormat.short($0) } ?? ""
        count = row.isLazyUninitialised && row.parameterCount == 0 ? "?" : NumberFormat.count(row.parameterCount)
        leadWidth = row.depth * TreeView.indentWidth + 2 + (marker.isEmpty ? 0 : DisplayWidth.of(marker) + 1)
    }
}

/// How the visible tree rows share the pane's width: where tensor shapes start, and which right-hand columns fit.
struct TreeColumnPlan {
    /// Widths of the right-hand columns passed to `TreeView` (gradient norm, count; either may be left out).
    var columnWidths: [Int]
    /// The gradient column's width (0 when it is left out or no row has a gradient).
    var gradientWidth: Int
    /// The count column's width (0 when left out).
    var countWidth: Int
    /// Whether tensor rows get their shapes and dtypes aligned.
    var alignsTensors: Bool
    /// Where (columns from the row's left) a tensor's name ends, padded.
    var nameColumn: Int
    /// The widest visible shape.
    var shapeColumn: Int
    /// The row's width (the tree's rows area).
    var rowWidth: Int

    init(rows: [TreeRowViewModel], width: Int, ascii: Bool) {
        rowWidth = width
        let parts = rows.map { TreeRowParts($0, ascii: ascii) }
        let tensors = zip(rows, parts).filter { $0.0.kind != .module }.map(\.1)
        let tensorRows = rows.filter { $0.kind != .module }
        nameColumn = tensors.map { $0.leadWidth + DisplayWidth.of($0.name) }.max() ?? 0
        shapeColumn = tensorRows.map { DisplayWidth.of($0.shapeText) }.max() ?? 0
        let afterShape = tensors.map { DisplayWidth.of($0.afterShape) }.max() ?? 0
        let tensorWidth = tensors.isEmpty ? 0 : nameColumn + 2 + shapeColumn + (afterShape > 0 ? 2 + afterShape : 0)
        // Unaligned, the longest tensor row needs only its own width.
        let unalignedWidth = tensors.map { $0.leadWidth + DisplayWidth.of($0.name) + 2 + DisplayWidth.of($0.detail) }
            .max() ?? 0
        let gradient = parts.map { DisplayWidth.of($0.gradient) }.max() ?? 0
        let count = parts.map { DisplayWidth.of($0.count) }.max() ?? 0
        // Each column takes its width plus one space before it; modules keep at least a name's worth of room.
        let candidates: [(gradient: Int, count: Int)] = [(gradient, count), (0, count), (0, 0)]
        var chosen = (gradient: 0, count: 0)
        var aligns = false
        for candidate in candidates {
            let used = (candidate.gradient > 0 ? candidate.gradient + 1 : 0) + (candidate.count > 0 ? candidate.count + 1 : 0)
            let room = width - used
            guard room >= width / 3 else { continue }
            if tensorWidth <= room {
                chosen = candidate
                aligns = true
                break
            }
            if unalignedWidth <= room {
                chosen = candidate
                break
            }
        }
        gradientWidth = chosen.gradient
        countWidth = chosen.count
        alignsTensors = aligns
        columnWidths = [chosen.gradient, chosen.count].filter { $0 > 0 }
    }
}
