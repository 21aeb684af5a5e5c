/// The visible rows of the module tree, built row by row on demand so a model with thousands of tensors costs
/// only the rows on screen.
public struct TreeViewModel {
    /// Number of visible rows (collapsed subtrees excluded).
    public let rowCount: Int
    /// Index of the selected row.
    public let cursor: Int
    /// Index of the first row on screen.
    public let scrollOffset: Int
    /// Rows that fit on screen, as last reported by `ExplorerState.setViewport`.
    public let viewportRows: Int
    let makeRow: (Int) -> TreeRowViewModel

    init(rowCount: Int, cursor: Int, scrollOffset: Int, viewportRows: Int, makeRow: @escaping (Int) -> TreeRowViewModel) {
        self.rowCount = rowCount
        self.cursor = cursor
        self.scrollOffset = scrollOffset
        self.viewportRows = viewportRows
        self.makeRow = makeRow
    }

    /// The row at `index` (0 ..< rowCount).
    public func row(at index: Int) -> TreeRowViewModel {
        precondition(index >= 0 && index < rowCount, "TreeViewModel.row(at:): index \(index) outside 0..<\(rowCount)")
        return makeRow(index)
    }

    /// The rows on screen: from `scrollOffset`, at most `viewportRows` of them.
    public var visibleRows: [TreeRowViewModel] {
        let end = min(rowCount, scrollOffset + max(viewportRows, 0))
        guard scrollOffset < end else { return [] }
        return (scrollOffset ..< end).map(makeRow)
    }
}
