import CNNKernels

/// C = op(A)·op(B) for contiguous row-major matrices; C (m×n) is overwritten.
///
/// A is m×k (stored k×m when `transposeA`), B is k×n (stored n×k when `transposeB`). This is the single entry
/// point for matrix products, so a faster kernel can replace it without touching any op. A·Bᵀ with rows of
/// 64…1024 and fewer than 16 rows of A goes to `DotTileProduct` (no packing); a large Aᵀ·B whose A is mostly zeros (a ReLU layer's weight
/// gradient) to `ZeroSkippingProduct`; other products big enough to amortise packing to `PackedGemm` (threaded
/// above its threshold, or with `threads` when given); tiny ones (the 2-row batches of the book's examples) use
/// the direct loops below, `ShallowProduct` for k ≤ 4 and `dotRows` for A·Bᵀ.
func matmulKernel(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                  m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, threads: Int? = nil,
                  variant: KernelVariant = .best) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        c.update(repeating: 0, count: m * n)
        return
    }
    if DotTileProduct.applies(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        && usesPackedProduct(m: m, n: n, k: k) {
        DotTileProduct.multiply(a: a, b: b, c: c, m: m, n: n, k: k,
                                threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k), variant: variant)
        return
    }
    if ZeroSkippingProduct.isCandidate(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        && ZeroSkippingProduct.multiplyIfSparse(a: a, b: b, c: c, m: m, n: n, k: k,
                                                threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k),
                                                variant: variant) {
        return
    }
    if usesPackedProduct(m: m, n: n, k: k) {
        let lhs = StridedMatrix(base: a, rowStride: transposeA ? 1 : k, columnStride: transposeA ? m : 1)
        let rhs = StridedMatrix(base: b, rowStride: transposeB ? 1 : n, columnStride: transposeB ? k : 1)
        PackedGemm.multiply(a: lhs, b: rhs, c: OutputMatrix(base: c, rowStride: n), m: m, n: n, k: k,
                            threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k), variant: variant)
        return
    }
    directProduct(a: a, b: b, c: c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                  variant: variant)
}

/// Whether packing pays off: at least a few micro-tile rows and enough work to amortise the copies.
@inline(__always)
func usesPackedProduct(m: Int, n: Int, k: Int) -> Bool {
    m >= 4 && n >= 8 && k >= 4 && m &* n &* k >= 16_384
}
/// The unpacked product for small sizes. With B transposed each C element is a dot product of two contiguous
/// rows (`dotRows`); otherwise a strip of up to 32 columns of a C row stays in registers while all k rows of B
/// stream through it, so C is written once and never re-read (`cnn_direct_rows` in CNNKernels).
func directProduct(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                   m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, variant: KernelVariant = .best) {
    if ShallowProduct.applies(n: n, k: k, transposeB: transposeB) {
        ShallowProduct.multiply(a: a, b: b, c: c, m: m, n: n, k: k, transposeA: transposeA, variant: variant)
        return
    }
    if transposeB {
        if transposeA {
            let at = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
            defer { at.deallocate() }
            for p in 0..<k { for i in 0..<m { at[i * k + p] = a[p * m + i] } }
            dotRows(a: UnsafePointer(at), b: b, c: c, m: m, n: n, k: k, variant: variant)
        } else {
            dotRows(a: a, b: b, c: c, m: m, n: n, k: k, variant: variant)
        }
        return
    }
    cnn_direct_rows(variant.cVariant, a, b, c, m, n, k, transposeA ? 1 : k, transposeA ? m : 1)
}

/// y += alpha·x over n floats (wrapping index arithmetic: j < n, so it cannot overflow, and -O would check it).
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    let av = SIMD8<Float>(repeating: alpha)
    let xr = UnsafeRawPointer(x), yr = UnsafeMutableRawPointer(y)
    while j &+ 8 <= n {
        let xv = xr.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
        let yv = yr.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
        yr.storeBytes(of: yv + av * xv, toByteOffset: j &* 4, as: SIMD8<Float>.self)
        j &+= 8
    }
    while j < n {
        y[j] += alpha * x[j]
        j &+= 1
    }
}

/// C[i, j] = dot(A row i, B row j) with A m×k and B n×k (`cnn_dot_rows` in CNNKernels).
///
/// Eight B rows at a time (`DotRowGroup`): each A load feeds eight multiply-adds into eight vector sums, which are
/// then reduced together. The last n mod 8 outputs are, for short rows (k ≤ 64), one more group shifted left to
/// end at n (it recomputes a few outputs with the same operations, so the same bits); for long rows four at a time.
func dotRows(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int,
             variant: KernelVariant = .best) {
    cnn_dot_rows(variant.cVariant, a, b, c, m, n, k)
}
