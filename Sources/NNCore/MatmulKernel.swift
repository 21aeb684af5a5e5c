/// C = op(A)·op(B) for contiguous row-major matrices; C (m×n) is overwritten.
///
/// A is m×k (stored k×m when `transposeA`), B is k×n (stored n×k when `transposeB`). This is the single entry
/// point for matrix products, so a faster kernel can replace it without touching any op. A·Bᵀ with rows of
/// 64…1024 goes to `DotTileProduct` (no packing); a large Aᵀ·B whose A is mostly zeros (a ReLU layer's weight
/// gradient) to `ZeroSkippingProduct`; other products big enough to amortise packing to `PackedGemm` (threaded
/// above its threshold, or with `threads` when given); tiny ones (the 2-row batches of the book's examples) use
/// the direct loops below, `ShallowProduct` for k ≤ 4 and `dotRows` for A·Bᵀ.
func matmulKernel(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                  m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, threads: Int? = nil) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        c.update(repeating: 0, count: m * n)
        return
    }
    if DotTileProduct.applies(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        && usesPackedProduct(m: m, n: n, k: k) {
        DotTileProduct.multiply(a: a, b: b, c: c, m: m, n: n, k: k,
                                threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k))
        return
    }
    if ZeroSkippingProduct.isCandidate(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        && ZeroSkippingProduct.multiplyIfSparse(a: a, b: b, c: c, m: m, n: n, k: k,
                                                threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k)) {
        return
    }
    if usesPackedProduct(m: m, n: n, k: k) {
        let lhs = StridedMatrix(base: a, rowStride: transposeA ? 1 : k, columnStride: transposeA ? m : 1)
        let rhs = StridedMatrix(base: b, rowStride: transposeB ? 1 : n, columnStride: transposeB ? k : 1)
        PackedGemm.multiply(a: lhs, b: rhs, c: OutputMatrix(base: c, rowStride: n), m: m, n: n, k: k,
                            threads: threads ?? PackedGemm.threadCount(m: m, n: n, k: k))
        return
    }
    directProduct(a: a, b: b, c: c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
}

/// Whether packing pays off: at least a few micro-tile rows and enough work to amortise the copies.
@inline(__always)
func usesPackedProduct(m: Int, n: Int, k: Int) -> Bool {
    m >= 4 && n >= 8 && k >= 4 && m &* n &* k >= 16_384
}
/// The unpacked product for small sizes. With B transposed each C element is a dot product of two contiguous
/// rows (four B rows at a time share each load of A); otherwise a strip of up to 32 columns of a C row stays in
/// registers while all k rows of B stream through it, so C is written once and never re-read.
func directProduct(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                   m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
    if ShallowProduct.applies(n: n, k: k, transposeB: transposeB) {
        ShallowProduct.multiply(a: a, b: b, c: c, m: m, n: n, k: k, transposeA: transposeA)
        return
    }
    if transposeB {
        if transposeA {
            let at = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
            defer { at.deallocate() }
            for p in 0..<k { for i in 0..<m { at[i * k + p] = a[p * m + i] } }
            dotRows(a: UnsafePointer(at), b: b, c: c, m: m, n: n, k: k)
        } else {
            dotRows(a: a, b: b, c: c, m: m, n: n, k: k)
        }
        return
    }
    let aRowStep = transposeA ? 1 : k, aColumnStep = transposeA ? m : 1
    let bRaw = UnsafeRawPointer(b)
    for i in 0..<m {
        let aRow = a + i * aRowStep
        let cRaw = UnsafeMutableRawPointer(c + i * n)
        var j = 0
        while j + 32 <= n {
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
            for p in 0..<k {
                let av = SIMD8<Float>(repeating: aRow[p * aColumnStep])
                let offset = (p * n + j) * 4
                c0 = GemmMicroKernel.multiplyAdd(c0, av, bRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                c1 = GemmMicroKernel.multiplyAdd(c1, av, bRaw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                c2 = GemmMicroKernel.multiplyAdd(c2, av, bRaw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
                c3 = GemmMicroKernel.multiplyAdd(c3, av, bRaw.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self))
            }
            cRaw.storeBytes(of: c0, toByteOffset: j * 4, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: c1, toByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: c2, toByteOffset: j * 4 + 64, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: c3, toByteOffset: j * 4 + 96, as: SIMD8<Float>.self)
            j += 32
        }
        // The remaining 8-column strips (at most three) in one pass over k: one loop instead of one per strip,
        // and up to three independent FMA chains (narrow products like the 256×20 weight gradient of a
        // 2-row batch are all rows and no columns).
        let strips = (n - j) / 8
        if strips > 0 {
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
            for p in 0..<k {
                let av = SIMD8<Float>(repeating: aRow[p * aColumnStep])
                let offset = (p * n + j) * 4
                c0 = GemmMicroKernel.multiplyAdd(c0, av, bRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                if strips > 1 {
                    c1 = GemmMicroKernel.multiplyAdd(c1, av, bRaw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                }
                if strips > 2 {
                    c2 = GemmMicroKernel.multiplyAdd(c2, av, bRaw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
                }
            }
            cRaw.storeBytes(of: c0, toByteOffset: j * 4, as: SIMD8<Float>.self)
            if strips > 1 { cRaw.storeBytes(of: c1, toByteOffset: j * 4 + 32, as: SIMD8<Float>.self) }
            if strips > 2 { cRaw.storeBytes(of: c2, toByteOffset: j * 4 + 64, as: SIMD8<Float>.self) }
            j += 8 * strips
        }
        if j < n {
            // The last n mod 8 columns, k outermost: each column keeps its own running sum (in C), so the
            // columns' additions overlap instead of forming one k-long chain per column. Same order of
            // operations per element as a dot product from 0, so the values are unchanged.
            let cRow = c + i * n
            if j + 4 <= n {
                // Four of them in one register (a 256×20 weight gradient has four per row); multiply and add
                // stay separate, exactly as in the scalar loop, so the bits match it.
                var sum = SIMD4<Float>()
                for p in 0..<k {
                    let bv = bRaw.loadUnaligned(fromByteOffset: (p * n + j) * 4, as: SIMD4<Float>.self)
                    sum = sum + SIMD4<Float>(repeating: aRow[p * aColumnStep]) * bv
                }
                cRaw.storeBytes(of: sum, toByteOffset: j * 4, as: SIMD4<Float>.self)
                j += 4
            }
            for column in j..<n { cRow[column] = 0 }
            for p in 0..<k {
                let av = aRow[p * aColumnStep]
                let bRow = b + p * n
                for column in j..<n { cRow[column] += av * bRow[column] }
            }
        }
    }
}

/// y += alpha·x over n floats.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    let av = SIMD8<Float>(repeating: alpha)
    let xr = UnsafeRawPointer(x), yr = UnsafeMutableRawPointer(y)
    while j + 8 <= n {
        let xv = xr.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        let yv = yr.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        yr.storeBytes(of: yv + av * xv, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n {
        y[j] += alpha * x[j]
        j += 1
    }
}

/// C[i, j] = dot(A row i, B row j) with A m×k and B n×k.
///
/// Eight B rows at a time: each A load feeds eight multiply-adds into eight vector sums, which are then reduced
/// together (a transpose-and-add tree, about three instructions per output instead of a horizontal sum each).
/// A k mod 8 of 4 to 7 is one more half-width step, so short rows (k = 20 for a 20-feature input) stay
/// vectorised. The last n mod 8 outputs are, for short rows, one more group shifted left to end at n (it
/// recomputes a few outputs with the same operations, so the same bits); for long rows four at a time.
func dotRows(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
    let overlapLastGroup = n >= 8 && k <= 64
    for i in 0..<m {
        let arow = a + i * k
        let crow = c + i * n
        var j = 0
        while j + 8 <= n {
            DotRowGroup.dot(arow, rows: b + j * k, k: k, into: crow + j)
            j += 8
        }
        if j == n { continue }
        if overlapLastGroup {
            DotRowGroup.dot(arow, rows: b + (n - 8) * k, k: k, into: crow + n - 8)
            continue
        }
        let vectorEnd = k & ~7
        let aRaw = UnsafeRawPointer(arow)
        while j + 4 <= n {
            let b0 = b + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
            let r0 = UnsafeRawPointer(b0), r1 = UnsafeRawPointer(b1), r2 = UnsafeRawPointer(b2), r3 = UnsafeRawPointer(b3)
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            var p = 0
            while p < vectorEnd {
                let av = aRaw.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self)
                s0 = GemmMicroKernel.multiplyAdd(s0, av, r0.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self))
                s1 = GemmMicroKernel.multiplyAdd(s1, av, r1.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self))
                s2 = GemmMicroKernel.multiplyAdd(s2, av, r2.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self))
                s3 = GemmMicroKernel.multiplyAdd(s3, av, r3.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self))
                p += 8
            }
            var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
            while p < k {
                let av = arow[p]
                t0 += av * b0[p]; t1 += av * b1[p]; t2 += av * b2[p]; t3 += av * b3[p]
                p += 1
            }
            crow[j] = t0; crow[j + 1] = t1; crow[j + 2] = t2; crow[j + 3] = t3
            j += 4
        }
        while j < n {
            crow[j] = dot(arow, b + j * k, k)
            j += 1
        }
    }
}

/// Σ x[i]·y[i] over n floats.
@inline(__always)
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var j = 0
    let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y)
    while j + 8 <= n {
        acc += xr.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * yr.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    var s = acc.sum()
    while j < n {
        s += x[j] * y[j]
        j += 1
    }
    return s
}
