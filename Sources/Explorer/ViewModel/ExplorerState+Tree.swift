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
    /// Drops cached numbers when the model changed since they were computed.
    func validateCaches() {
        guard cacheVersion != modelVersion else { return }
        gradNormCache.removeAll(keepingCapacity: true)
        aggregateCache.removeAll(keepingCapacity: true)
        totalsCache = nil
        statsCache.removeAll(keepingCapacity: true)
        cacheVersion = modelVersion
    }

    func cachedGradNorm(_ entry: TensorEntry) -> Float? {
        validateCaches()
        if let cached = gradNormCache[entry.id] { return cached }
        let norm = entry.tensor?.grad.map(TensorStatistics.norm(of:))
        gradNormCache[entry.id] = norm
        return norm
    }

    func cachedStats(_ entry: TensorEntry, source: MatrixSource) -> (TensorStats, HistogramViewModel)? {
        validateCaches()
        let key = StatsKey(entry: entry.id, showing: showing, slice: views[entry.id]?.slice ?? 0)
        if let cached = statsCache[key] { return cached }
        let computed = TensorStatistics.compute(source)
        statsCache[key] = computed
        return computed
    }
}

/// Which statistics a cache entry holds: one tensor, values or gradient, one slice.
struct StatsKey: Hashable {
    let entry: Int
    let showing: ValueOrGradient
    let slice: Int
}

/// Totals over a subtree's distinct tensors.
struct SubtreeAggregate {
    var count = 0
    var hasLazy = false
    var hasEdits = false
}

extension ExplorerState {
    /// Elements (each distinct tensor once), lazy and edited flags of a node's subtree, cached until the model
    /// changes.
    func subtreeAggregate(_ index: Int) -> SubtreeAggregate {
        validateCaches()
        if let cached = aggregateCache[index] { return cached }
        var result = SubtreeAggregate()
        for entryIndex in treeCursor.nodes[index].subtreeEntries {
            let entry = entries[entryIndex]
            let n = entry.elementCount
            result.count = result.count.addingReportingOverflow(n).overflow ? Int.max : result.count + n
            result.hasLazy = result.hasLazy || entry.isUninitialised
            result.hasEdits = result.hasEdits || entry.isEdited
        }
        aggregateCache[index] = result
        return result
    }
}
