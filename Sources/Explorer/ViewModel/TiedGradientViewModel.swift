/// One part of a shared parameter's gradient: what flowed in through one use, or the total.
public struct GradientPartViewModel {
    /// The use site's module path ("2"); "" for the total.
    public var site: String
    /// A label for people ("via module 2", "sum = grad").
    public var label: String
    /// The part's L2 norm.
    public var norm: Float
    /// The part's heatmap, at the detail pane's zoom, pan and cursor.
    public var grid: HeatmapProvider

    /// The part's heatmap at `rows` × `cols` capacity.
    public func heatmap(rows: Int, cols: Int) -> HeatmapGrid { grid.heatmap(rows: rows, cols: cols) }
}

/// A shared parameter's gradient split by use, after a backward pass: each use's contribution and their sum.
public struct TiedGradientViewModel {
    /// One entry per use, in forward order.
    public var contributions: [GradientPartViewModel]
    /// The accumulated gradient (equal to the sum of the contributions).
    public var sum: GradientPartViewModel
    /// Backward passes accumulated since the last zero.
    public var backwardCount: Int
    /// The largest |Σ contributions − grad| over all elements (≈ 0: the contributions add up to the gradient).
    public var maxSumDiscrepancy: Float
}
