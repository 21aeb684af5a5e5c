import NNCore

extension ExplorerState {
    /// The module tree's visible rows (built row by row on demand).
    public var tree: TreeViewModel {
        TreeViewModel(rowCount: treeCursor.visible.count, cursor: treeCursor.cursorRow, scrollOffset: treeCursor.scrollRow,
                      viewportRows: treeCursor.viewportRows) { [self] row in rowViewModel(node: treeCursor.visible[row]) }
    }

    func rowViewModel(node index: Int) -> TreeRowViewModel {
        let node = treeCursor.nodes[index]
        let aggregate = subtreeAggregate(index)
        let count = aggregate.count, lazy = aggregate.hasLazy, edited = aggregate.hasEdits
        var shapeText = "", dtype = ""
        var gradNorm: Float?
        if let entryIndex = node.entry {
            let entry = entries[entryIndex]
            shapeText = entry.shapeText
            dtype = entry.dtype
            gradNorm = cachedGradNorm(entry)
        }
        return TreeRowViewModel(depth: node.depth, kind: node.kind, name: node.name, path: node.path,
                                typeSummary: node.typeSummary, shapeText: shapeText, dtype: dtype,
                                parameterCount: count, sharedGroup: node.sharedGroup, isLazyUninitialised: lazy,
                                gradNorm: gradNorm, isEdited: edited, isExpandable: !node.children.isEmpty,
                                isExpanded: node.isExpanded)
    }
}

extension ExplorerState {
    func cachedGradNorm(_ entry: TensorEntry) -> Float? {
        caches.gradNorm(entry: entry.id) { entry.tensor?.grad.map(TensorStatistics.norm(of:)) }
    }

    func cachedStats(_ entry: TensorEntry, source: MatrixSource) -> (TensorStats, HistogramViewModel)? {
        let key = StatsKey(entry: entry.id, showing: detailView.showing, slice: detailView.views[entry.id]?.slice ?? 0)
        return caches.stats(key) { TensorStatistics.compute(source) }
    }

    /// Elements (each distinct tensor once), lazy and edited flags of a node's subtree, cached until the model
    /// changes.
    func subtreeAggregate(_ index: Int) -> SubtreeAggregate {
        caches.aggregate(node: index) {
            var result = SubtreeAggregate()
            for entryIndex in treeCursor.nodes[index].subtreeEntries {
                let entry = entries[entryIndex]
                let n = entry.elementCount
                result.count = result.count.addingReportingOverflow(n).overflow ? Int.max : result.count + n
                result.hasLazy = result.hasLazy || entry.isUninitialised
                result.hasEdits = result.hasEdits || entry.isEdited
            }
            return result
        }
    }
}
