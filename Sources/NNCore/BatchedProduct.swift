import Dispatch

/// One operand of a batched matrix product as the kernel reads it: per batch a contiguous row-major matrix, or the
/// transpose of one (a `transpose(-1, -2)` view, such as Kᵀ in attention, is read in place), and a batch stride of
/// 0 when every batch shares the same matrix (a 2-d weight, or batch dimensions of size 1).
struct ProductOperand: @unchecked Sendable {
    // @unchecked: `base` points into `owner`'s storage, which the operand keeps alive and nobody writes during
    // a product.
    /// The tensor whose storage `base` points into.
    let owner: Tensor
    let base: UnsafePointer<Float>
    /// Whether each batch's matrix is stored transposed (column-major for the logical [rows, columns]).
    let transposed: Bool
    /// Floats between consecutive batches' matrices; 0 when shared.
    let batchStride: Int

    var isShared: Bool { batchStride == 0 }

    /// `x` (rank ≥ 2, outside the graph) read as `batchCount` matrices of its last two dimensions for a product
    /// with batch shape `batch`: in place when its layout allows, else as a contiguous (broadcast) copy.
    init(_ x: Tensor, batch: [Int]) {
        let r = x.rank
        let rows = x.shape[r - 2], columns = x.shape[r - 1]
        let ownBatch = x.shape.dropLast(2)
        let ownBatchCount = ownBatch.reduce(1, *)
        let batchCount = batch.reduce(1, *)
        // As many matrices as batches (the batch shape differs at most by dimensions of size 1), or one for all.
        if ownBatchCount == 1 || ownBatchCount == batchCount {
            let stride = ownBatchCount == 1 && batchCount != 1 ? 0 : rows * columns
            if x.isContiguous {
                self.init(owner: x, transposed: false, batchStride: stride)
                return
            }
            // The transpose of a contiguous tensor: swap the last two dimensions back and read it column-major.
            var swappedShape = x.shape, swappedStrides = x.strides
            swappedShape.swapAt(r - 2, r - 1)
            swappedStrides.swapAt(r - 2, r - 1)
            let swapped = x.rawView(shape: swappedShape, strides: swappedStrides, offset: x.offset)
            if swapped.isContiguous {
                self.init(owner: swapped, transposed: true, batchStride: stride)
                return
            }
            self.init(owner: x.contiguousCopy(), transposed: false, batchStride: stride)
            return
        }
        // Batch dimensions broadcast partly (e.g. [B, 1, …] with [1, H, …]): materialise the broadcast.
        let expanded = x.rawView(shape: batch + [rows, columns], strides: x.broadcastStrides(to: batch + [rows, columns]),
                                 offset: x.offset)
        self.init(owner: expanded.contiguousCopy(), transposed: false, batchStride: rows * columns)
    }

    private init(owner: Tensor, transposed: Bool, batchStride: Int) {
        self.owner = owner
        self.base = UnsafePointer(owner.base)
        self.transposed = transposed
        self.batchStride = batchStride
    }
}

/// Output pointers of a batched product, shareable with the threads that fill disjoint parts of them.
struct ProductOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// Runs `body(i, threads)` for every batch `i` of a batched product whose single product costs `work`
/// multiply-adds: each product on all cores when it is big enough alone, else whole batches spread over the cores
/// (one thread per product), so many small per-head products still use both cores.
func forEachBatch(_ batches: Int, work: Int, _ body: @Sendable (_ batch: Int, _ threads: Int?) -> Void) {
    let cores = PackedGemm.processorCount
    let total = work.multipliedReportingOverflow(by: batches)
    if batches < 2 || cores < 2 || work >= PackedGemm.parallelThreshold
        || (!total.overflow && total.partialValue < PackedGemm.parallelThreshold) {
        for i in 0..<batches { body(i, batches < 2 ? nil : (work >= PackedGemm.parallelThreshold ? nil : 1)) }
        return
    }
    let parts = Swift.min(cores, batches)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        for i in (batches * part / parts) ..< (batches * (part + 1) / parts) { body(i, 1) }
    }
}

/// C = op(A)·op(B) for every batch into a fresh contiguous tensor of shape `batch + [m, n]` (no graph). When B is
/// shared and A is not transposed, all batches are one product with m·batches rows.
func productOfBatches(_ a: ProductOperand, _ b: ProductOperand, batch: [Int], m: Int, n: Int, k: Int) -> Tensor {
    let batches = batch.reduce(1, *)
    let out = Tensor.uninitialized(batch + [m, n])
    if batches == 0 { return out }
    let c = ProductOutput(base: out.base)
    if b.isShared && !a.transposed {
        // (B shared means A is not: the batch shape is A's.)
        matmulKernel(a: a.base, b: b.base, c: c.base, m: m * batches, n: n, k: k, transposeA: false,
                     transposeB: b.transposed)
        return out
    }
    forEachBatch(batches, work: m * n * k) { i, threads in
        matmulKernel(a: a.base + i * a.batchStride, b: b.base + i * b.batchStride, c: c.base + i * m * n,
                     m: m, n: n, k: k, transposeA: a.transposed, transposeB: b.transposed, threads: threads)
    }
    return out
}

/// The gradient of a batched product's left operand, dA = dC·op(B)ᵀ, in the logical shape `batch + [m, k]`, or
/// `[m, k]` summed over the batches when A was shared. `g` is dC, contiguous `batch + [m, n]`.
func batchedProductLeftGradient(_ g: Tensor, _ a: ProductOperand, _ b: ProductOperand, batch: [Int],
                                m: Int, n: Int, k: Int) -> Tensor {
    let batches = batch.reduce(1, *)
    if batches == 0 { return Tensor.zeros(a.isShared ? [m, k] : batch + [m, k]) }
    if a.isShared && batches > 1 {
        let total = Tensor.zeros([m, k])
        let part = Tensor.uninitialized([m, k])
        for i in 0..<batches {
            matmulKernel(a: g.base + i * m * n, b: b.base + i * b.batchStride, c: part.base, m: m, n: k, k: n,
                         transposeA: false, transposeB: !b.transposed)
            axpy(1, part.base, total.base, m * k)
        }
        return total
    }
    let ga = Tensor.uninitialized(batch + [m, k])
    let gp = ProductOutput(base: g.base), out = ProductOutput(base: ga.base)
    if b.isShared {
        matmulKernel(a: gp.base, b: b.base, c: out.base, m: m * batches, n: k, k: n,
                     transposeA: false, transposeB: !b.transposed)
        return ga
    }
    forEachBatch(batches, work: m * n * k) { i, threads in
        matmulKernel(a: gp.base + i * m * n, b: b.base + i * b.batchStride, c: out.base + i * m * k, m: m, n: k, k: n,
                     transposeA: false, transposeB: !b.transposed, threads: threads)
    }
    return ga
}

/// The gradient of a batched product's right operand, dB = op(A)ᵀ·dC, in the logical shape `batch + [k, n]`, or
/// `[k, n]` summed over the batches when B was shared (one product over all batches' rows when A is stored
/// untransposed).
func batchedProductRightGradient(_ g: Tensor, _ a: ProductOperand, _ b: ProductOperand, batch: [Int],
                                 m: Int, n: Int, k: Int) -> Tensor {
    let batches = batch.reduce(1, *)
    if batches == 0 { return Tensor.zeros(b.isShared ? [k, n] : batch + [k, n]) }
    if b.isShared && batches > 1 {
        let total = Tensor.uninitialized([k, n])
        if !a.isShared && !a.transposed {
            matmulKernel(a: a.base, b: g.base, c: total.base, m: k, n: n, k: m * batches, transposeA: true, transposeB: false)
            return total
        }
        total.base.update(repeating: 0, count: k * n)
        let part = Tensor.uninitialized([k, n])
        for i in 0..<batches {
            matmulKernel(a: a.base + i * a.batchStride, b: g.base + i * m * n, c: part.base, m: k, n: n, k: m,
                         transposeA: !a.transposed, transposeB: false)
            axpy(1, part.base, total.base, k * n)
        }
        return total
    }
    let gb = Tensor.uninitialized(batch + [k, n])
    let gp = ProductOutput(base: g.base), out = ProductOutput(base: gb.base)
    forEachBatch(batches, work: m * n * k) { i, threads in
        matmulKernel(a: a.base + i * a.batchStride, b: gp.base + i * m * n, c: out.base + i * k * n, m: k, n: n, k: m,
                     transposeA: !a.transposed, transposeB: false, threads: threads)
    }
    return gb
}
