import TerminalUI

/// Draws the module tree in its bordered pane: names and types, shapes and dtypes of tensors, subtree counts,
/// gradient norms, shared markers in their group's colour, lazy tensors dimmed and edited ones marked.
struct TreePaneRenderer {
    var tree: TreeViewModel
    var title: String
    var isFocused: Bool
    var theme: Theme
    var ascii: Bool

    /// Width of the gradient-norm column and of the count column.
    static let columnWidths = [11, 9]

    func render(in pane: Rect, buffer: inout Buffer) {
        buffer.fill(pane, with: .blank(theme.text))
        let inner = Box(title: title, theme: theme, ascii: ascii, isFocused: isFocused).render(in: pane, buffer: &buffer)
        guard !inner.isEmpty else { return }
        // The state's offset was computed for its last known viewport; keep the cursor visible at this height too.
        let offset = TreeView.scrollOffset(cursor: tree.cursor, previousOffset: tree.scrollOffset,
                                           visibleRows: inner.height, rowCount: tree.rowCount)
        let tree = self.tree
        let ascii = self.ascii
        let theme = self.theme
        TreeView(rowCount: tree.rowCount, row: { TreePaneRenderer.treeRow(tree.row(at: $0), theme: theme, ascii: ascii) },
                 cursor: tree.cursor, scrollOffset: offset, columnWidths: TreePaneRenderer.columnWidths,
                 theme: theme, ascii: ascii).render(in: inner, buffer: &buffer)
    }

    /// The widget row for a view-model row.
    static func treeRow(_ row: TreeRowViewModel, theme: Theme, ascii: Bool) -> TreeRow {
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
                       columns: [gradient, count], isDimmed: row.isLazyUninitialised)
    }
}
