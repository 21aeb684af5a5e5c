/// C = op(A)·op(B) for contiguous row-major matrices; C (m×n) is overwritten.
///
/// A is m×k (stored k×m when `transposeA`), B is k×n (stored n×k when `transposeB`). This is the single entry
/// point for matrix products, so a faster kernel can replace it without touching any op. Products big enough to
/// amortise packing go to `PackedGemm` (threaded above its threshold, or with `threads` when given); tiny ones
/// (the 2-row batches of the book's examples) use the direct loops below, which touch each operand once.
func matmulKernel(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                  m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, threads: Int? = nil) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        c.update(repeating: 0, count: m * n)
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

/// The unpacked product for small sizes: dot products of rows when B is transposed, else rows of B streamed
/// into rows of C.
func directProduct(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                   m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
    if transposeB {
        // Rows of B are columns of op(B): each C element is a dot product of two contiguous rows.
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
    // i-k-j order: the inner loop streams a row of B into a row of C.
    for i in 0..<m {
        let crow = c + i * n
        crow.update(repeating: 0, count: n)
        for p in 0..<k {
            let av = transposeA ? a[p * m + i] : a[i * k + p]
            axpy(av, b + p * n, crow, n)
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
func dotRows(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
    for i in 0..<m {
        let arow = a + i * k
        for j in 0..<n {
            c[i * n + j] = dot(arow, b + j * k, k)
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
