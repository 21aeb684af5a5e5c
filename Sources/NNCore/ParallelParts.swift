import Dispatch

/// Splits `total` rows or columns of a product into `parts` ranges of whole `unit`-wide tiles, so only the last
/// range has a ragged edge, and runs `body(first, count)` for each range on its own thread. The products that use
/// both cores (`PackedGemm`, `DotTileProduct`) share this split.
func forEachParallelPart(of total: Int, unit: Int, parts: Int, _ body: @Sendable (_ first: Int, _ count: Int) -> Void) {
    let tiles = (total + unit - 1) / unit
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let first = tiles * part / parts * unit
        let last = Swift.min(total, tiles * (part + 1) / parts * unit)
        guard first < last else { return }
        body(first, last - first)
    }
}
