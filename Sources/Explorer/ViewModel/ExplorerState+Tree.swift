import NNCore

extension ExplorerState {
    /// The module tree's visible rows (built row by row on demand).
    public var tree: TreeViewModel {
        TreeViewModel(rowCount: visible.count, cursor: cursorRow, scrollOffset: scrollRow,
                      viewportRows: viewportTreeRows) { [self] row in rowViewModel(node: visible[row]) }
    }

    func rowViewModel(node index: Int) -> TreeRowViewModel {
        let node = nodes[index]
        var count = 0
        var lazy = false
        var edited = false
        for entryIndex in node.subtreeEntries {
            let entry = entries[entryIndex]
            count = count.addingReportingOverflow(entry.elementCount).overflow ? Int.max : count + entry.elementCount
            lazy = lazy || entry.isUninitialised
            edited = edited || entry.isEdited
        }
        var shapeText = "", dtype = ""
        var gradNorm: Float?
        if let entryIndex = node.entry {
            let entry = entries[entryIndex]
            shapeText = entry.shapeText
            dtype = entry.dtype
            if let grad = entry.tensor?.grad { gradNorm = TensorStatistics.norm(of: grad) }
        }
        return TreeRowViewModel(depth: node.depth, kind: node.kind, name: node.name, path: node.path,
                                typeSummary: node.typeSummary, shapeText: shapeText, dtype: dtype,
                                parameterCount: count, sharedGroup: node.sharedGroup, isLazyUninitialised: lazy,
                                gradNorm: gradNorm, isEdited: edited, isExpandable: !node.children.isEmpty,
                                isExpanded: node.isExpanded)
    }
}
