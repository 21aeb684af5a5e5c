/// Numbers the renderer asks for every frame (gradient norms, statistics and histograms, subtree totals, the
/// model's parameter totals), computed once and kept until the model's numbers change: every command that
/// changes them calls `modelChanged()` (the state does it for each reaction holding `.changedModel`).
struct RenderCaches {
    /// Counts the changes of the model's numbers.
    private(set) var modelVersion = 0
    /// The `modelVersion` the cached values were computed at.
    private var cachedVersion = 0
    private var gradNorms: [Int: Float?] = [:]
    private var stats: [StatsKey: (TensorStats, HistogramViewModel)?] = [:]
    private var aggregates: [Int: SubtreeAggregate] = [:]
    private var totals: ParameterTotals?

    /// The model's numbers changed: everything cached is stale.
    mutating func modelChanged() { modelVersion &+= 1 }

    /// The gradient norm of entry `id`, computed by `compute` when not cached.
    mutating func gradNorm(entry id: Int, _ compute: () -> Float?) -> Float? {
        dropStale()
        if let cached = gradNorms[id] { return cached }
        let norm = compute()
        gradNorms[id] = norm
        return norm
    }

    /// The statistics and histogram of `key`, computed by `compute` when not cached (nil results are kept too).
    mutating func stats(_ key: StatsKey, _ compute: () -> (TensorStats, HistogramViewModel)?) -> (TensorStats, HistogramViewModel)? {
        dropStale()
        if let cached = stats[key] { return cached }
        let computed = compute()
        stats[key] = computed
        return computed
    }

    /// The totals of node `node`'s subtree, computed by `compute` when not cached.
    mutating func aggregate(node: Int, _ compute: () -> SubtreeAggregate) -> SubtreeAggregate {
        dropStale()
        if let cached = aggregates[node] { return cached }
        let computed = compute()
        aggregates[node] = computed
        return computed
    }

    /// The model's parameter totals, computed by `compute` when not cached.
    mutating func parameterTotals(_ compute: () -> ParameterTotals) -> ParameterTotals {
        dropStale()
        if let totals { return totals }
        let computed = compute()
        totals = computed
        return computed
    }

    /// Drops cached values computed before the last change.
    private mutating func dropStale() {
        guard cachedVersion != modelVersion else { return }
        gradNorms.removeAll(keepingCapacity: true)
        aggregates.removeAll(keepingCapacity: true)
        totals = nil
        stats.removeAll(keepingCapacity: true)
        cachedVersion = modelVersion
    }
}

/// Elements of all distinct tensors, of the trainable ones, and the number of lazy (uninitialised) ones.
typealias ParameterTotals = (total: Int, trainable: Int, lazy: Int)

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
