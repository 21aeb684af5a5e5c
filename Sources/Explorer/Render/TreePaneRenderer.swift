import TerminalUI

/// Draws the module tree in its bordered pane: names and types, shapes and dtypes of tensors, subtree counts,
/// gradient norms, shared markers in their group's colour, lazy tensors dimmed and edited ones marked.
struct TreePaneRenderer {
    var tree: TreeViewModel
    var title: String
    var isFocused: Bool
    var theme: Theme
    var ascii: Bool

    /// Widths of the gradient-norm and count columns: roomy in a wide pane, tight in a narrow one so names and
    /// shapes keep their room.
    /// Below 40 columns only the count is shown.
    static func columnWidths(paneWidth: Int) -> [Int] {
        paneWidth >= 56 ? [11, 9] : paneWidth >= 40 ? [9, 6] : [6]
    }

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
        let ascii = self.ascii
        let theme = self.theme
        let widths = TreePaneRenderer.columnWidths(paneWidth: pane.width)
        let showsGradient = widths.count > 1
        TreeView(rowCount: tree.rowCount,
                 row: { TreePaneRenderer.treeRow(tree.row(at: $0), theme: theme, ascii: ascii, showsGradient: showsGradient) },
                 cursor: tree.cursor, scrollOffset: offset, columnWidths: widths,
                 theme: theme, ascii: ascii).render(in: rows, buffer: &buffer)
        if tree.cursor >= offset, tree.cursor < offset + rows.height {
            let style = isFocused ? theme.selection : theme.text.adding(.bold)
            buffer.set(x: inner.x, y: inner.y + tree.cursor - offset, string: ascii ? ">" : "▶", style: style)
        }
    }

    /// The widget row for a view-model row.
    static func treeRow(_ row: TreeRowViewModel, theme: Theme, ascii: Bool, showsGradient: Bool = true) -> TreeRow {
        var marker: String?
        var markerColor: Color?
        if let group = row.sharedGroup {
            marker = (ascii ? "*" : "◆") + String(group + 1)
            markerColor = theme.sharedMarkerColor(group)
        }
        var text = row.name
        if row.isEdited { text += ascii ? " (edited)" : " ✎" }
        let detail: String
        switch row.kind {
        case .module:
            detail = row.typeSummary
        case .parameter, .buffer:
            var parts = [row.shapeText, row.dtype]
            if row.kind == .buffer { parts.append("buffer") }
            if row.isLazyUninitialised { parts.append("not initialised") }
            detail = parts.filter { !$0.isEmpty }.joined(separator: "  ")
        }
        let gradient = row.gradNorm.map { (ascii ? "g " : "∇ ") + NumberFormat.short($0) } ?? ""
        let count = row.isLazyUninitialised && row.parameterCount == 0 ? "?" : NumberFormat.count(row.parameterCount)
        return TreeRow(depth: row.depth, text: text, detail: detail, isExpandable: row.isExpandable,
                       isExpanded: row.isExpanded, marker: marker, markerColor: markerColor,
                       columns: showsGradient ? [gradient, count] : [count], isDimmed: row.isLazyUninitialised)
    }
}
