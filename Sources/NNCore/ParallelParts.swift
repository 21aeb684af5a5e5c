import Dispatch

/// Splits `total` rows or columns of a product into `parts` ranges of whole `unit`-wide tiles, so only the last
/// range has a ragged edge, and runs `body(first, count)` for each range on its own thread. The products that use
/// both cores (`PackedGemm`, `DotTileProduct`) and the packed convolution share this split.
func forEachParallelPart(of total: Int, unit: Int, parts: Int, _ body: @Sendable (_ first: Int, _ count: Int) -> Void) {
    let tiles = (total + unit - 1) / unit
    forEachParallelIndex(parts) { part in
        let first = tiles * part / parts * unit
        let last = Swift.min(total, tiles * (part + 1) / parts * unit)
        guard first < last else { return }
        body(first, last - first)
    }
}

/// Runs `body(i)` for every i in 0 ..< count on Dispatch's worker threads and the calling thread, and returns
/// when all have run. The one place the products hand work to other threads, so a different mechanism (such as
/// a persistent pool: see docs/performance-steadiness.md) replaces it for all of them at once.
func forEachParallelIndex(_ count: Int, _ body: @Sendable (_ index: Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
