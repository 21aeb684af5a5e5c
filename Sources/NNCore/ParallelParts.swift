import CNNKernels

/// Splits `total` rows or columns of a product into `parts` ranges of whole `unit`-wide tiles, so only the last
/// range has a ragged edge, and runs `body(first, count)` for each range on its own thread. The products that use
/// both cores (`PackedGemm`, `DotTileProduct`) and the fast convolution share this split.
func forEachParallelPart(of total: Int, unit: Int, parts: Int, _ body: @Sendable (_ first: Int, _ count: Int) -> Void) {
    let tiles = (total + unit - 1) / unit
    forEachParallelIndex(parts) { part in
        let first = tiles * part / parts * unit
        let last = Swift.min(total, tiles * (part + 1) / parts * unit)
        guard first < last else { return }
        body(first, last - first)
    }
}

/// Runs `body(i)` for every i in 0 ..< count, spread over the calling thread and the persistent worker threads
/// of `CNNWorkerPool.h` (one per extra core, started on first use), and returns when all have run.
///
/// The workers stay between calls and poll briefly before sleeping, so a split costs far less than waking
/// Dispatch's threads for every product (see `worker_pool.c`), and their per-thread packing buffers
/// (`PackingWorkspace`) live as long as the process. While one split runs, another — from another thread or from
/// inside `body` — runs its indices serially on its own thread: nothing waits for anything but its own parts, so
/// concurrent and nested calls cannot deadlock.
func forEachParallelIndex(_ count: Int, _ body: @Sendable (_ index: Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { job in
        withUnsafePointer(to: job) { pointer in
            // The workers only call the closure through this pointer until `cnn_pool_run` returns.
            _ = cnn_pool_run(count, { context, index in
                context!.assumingMemoryBound(to: (@Sendable (Int) -> Void).self).pointee(index)
            }, UnsafeMutableRawPointer(mutating: pointer))
        }
    }
}

/// Worker threads the pool has started so far (at most one per extra core; 0 before the first split).
var parallelWorkerCount: Int { Int(cnn_pool_worker_count()) }
