import Dispatch

/// C (m×n) = A·Bᵀ for A m×k and B n×k, both rows contiguous along k, without packing: a 4×3 tile of C is twelve
/// vector dot-product sums over the whole depth, reduced once at the end.
///
/// This is the forward product of a Linear layer (x·Wᵀ). The packed GEMM would first transpose both operands
/// into panels with scalar copies — about a sixth of the time of a 64×784·(256×784)ᵀ product — while here each
/// step loads four A vectors and three B vectors for twelve multiply-adds straight from the rows. A block of A
/// rows (about 192 KiB) stays in L2 while the three B rows of a tile (under 10 KiB for k ≤ 784) stay in L1.
enum DotTileProduct {
    /// Rows of A per tile.
    static let tileRows = 4
    /// Rows of B (columns of C) per tile.
    static let tileColumns = 3
    /// Bytes of A rows kept in L2 while the B tiles sweep over them.
    static let rowBlockBytes = 192 * 1024

    /// Whether this kernel is the better choice: A·Bᵀ with rows long enough (k ≥ 64) that the final
    /// reductions are cheap, and short enough (k ≤ 1024) that a tile's B rows stay in L1.
    @inline(__always)
    static func applies(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> Bool {
        transposeB && !transposeA && k >= 64 && k <= 1024 && m >= tileRows && n >= tileColumns
    }

    /// C = A·Bᵀ on `threads` threads, split by columns of C (rows of B), or by rows when C is narrow.
    static func multiply(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         m: Int, n: Int, k: Int, threads: Int) {
        let lhs = StridedMatrix(base: a, rowStride: k, columnStride: 1)
        let rhs = StridedMatrix(base: b, rowStride: k, columnStride: 1)
        let out = OutputMatrix(base: c, rowStride: n)
        let columnTiles = (n + tileColumns - 1) / tileColumns, rowTiles = (m + tileRows - 1) / tileRows
        let splitColumns = columnTiles >= 2 * threads || columnTiles >= rowTiles
        let tiles = splitColumns ? columnTiles : rowTiles
        let parts = Swift.min(threads, tiles)
        if parts <= 1 {
            serial(a: lhs, b: rhs, c: out, m: m, n: n, k: k)
            return
        }
        forEachParallelPart(of: splitColumns ? n : m, unit: splitColumns ? tileColumns : tileRows, parts: parts) { first, count in
            if splitColumns {
                serial(a: lhs, b: rhs.shifted(rows: first, columns: 0),
                       c: OutputMatrix(base: out.base + first, rowStride: out.rowStride), m: m, n: count, k: k)
            } else {
                serial(a: lhs.shifted(rows: first, columns: 0), b: rhs,
                       c: OutputMatrix(base: out.base + first * out.rowStride, rowStride: out.rowStride),
                       m: count, n: n, k: k)
            }
        }
    }

    /// The single-threaded loops: blocks of A rows, then B tiles, then A tiles.
    static func serial(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int) {
        let blockRows = Swift.max(tileRows, rowBlockBytes / (k * 4) / tileRows * tileRows)
        var i0 = 0
        while i0 < m {
            let blockEnd = Swift.min(m, i0 + blockRows)
            var j = 0
            while j < n {
                let columns = Swift.min(tileColumns, n - j)
                var i = i0
                while i < blockEnd {
                    let rows = Swift.min(tileRows, blockEnd - i)
                    let aTile = a.base + i * a.rowStride, bTile = b.base + j * b.rowStride
                    let cTile = c.base + i * c.rowStride + j
                    // One specialisation per edge shape, so the full tile's loop has no branches.
                    switch (rows, columns) {
                    case (4, 3): tile(rows: 4, columns: 3, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    case (4, 2): tile(rows: 4, columns: 2, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    case (4, _): tile(rows: 4, columns: 1, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    case (3, 3): tile(rows: 3, columns: 3, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    case (2, 3): tile(rows: 2, columns: 3, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    case (_, 3): tile(rows: 1, columns: 3, aTile, bTile, cTile, k: k, ldc: c.rowStride)
                    default:
                        for r in 0 ..< rows {
                            for s in 0 ..< columns {
                                cTile[r * c.rowStride + s] = dot(aTile + r * k, bTile + s * k, k)
                            }
                        }
                    }
                    i += tileRows
                }
                j += tileColumns
            }
            i0 = blockEnd
        }
    }

    /// c[r, s] = dot(A row r, B row s) for r < rows ≤ 4, s < columns ≤ 3 (constants after inlining).
    @inline(__always)
    static func tile(rows: Int, columns: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, k: Int, ldc: Int) {
        let rowBytes = k &* 4
        let a0 = UnsafeRawPointer(a), a1 = a0 + rowBytes, a2 = a1 + rowBytes, a3 = a2 + rowBytes
        let b0 = UnsafeRawPointer(b), b1 = b0 + rowBytes, b2 = b1 + rowBytes
        var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>()
        var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>()
        var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s22 = SIMD8<Float>()
        var s30 = SIMD8<Float>(), s31 = SIMD8<Float>(), s32 = SIMD8<Float>()
        let vectorBytes = (k & ~7) &* 4
        var offset = 0
        while offset < vectorBytes {
            let v0 = b0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let v1 = columns > 1 ? b1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) : SIMD8()
            let v2 = columns > 2 ? b2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) : SIMD8()
            var u = a0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s00 = GemmMicroKernel.multiplyAdd(s00, u, v0)
            if columns > 1 { s01 = GemmMicroKernel.multiplyAdd(s01, u, v1) }
            if columns > 2 { s02 = GemmMicroKernel.multiplyAdd(s02, u, v2) }
            if rows > 1 {
                u = a1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                s10 = GemmMicroKernel.multiplyAdd(s10, u, v0)
                if columns > 1 { s11 = GemmMicroKernel.multiplyAdd(s11, u, v1) }
                if columns > 2 { s12 = GemmMicroKernel.multiplyAdd(s12, u, v2) }
            }
            if rows > 2 {
                u = a2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                s20 = GemmMicroKernel.multiplyAdd(s20, u, v0)
                if columns > 1 { s21 = GemmMicroKernel.multiplyAdd(s21, u, v1) }
                if columns > 2 { s22 = GemmMicroKernel.multiplyAdd(s22, u, v2) }
            }
            if rows > 3 {
                u = a3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                s30 = GemmMicroKernel.multiplyAdd(s30, u, v0)
                if columns > 1 { s31 = GemmMicroKernel.multiplyAdd(s31, u, v1) }
                if columns > 2 { s32 = GemmMicroKernel.multiplyAdd(s32, u, v2) }
            }
            offset &+= 32
        }
        @inline(__always) func finish(_ sum: SIMD8<Float>, _ r: Int, _ s: Int) {
            var total = sum.sum()
            let aRow = a + r &* k, bRow = b + s &* k
            var p = k & ~7
            while p < k {  // the last k mod 8 products
                total += aRow[p] * bRow[p]
                p &+= 1
            }
            c[r &* ldc &+ s] = total
        }
        finish(s00, 0, 0)
        if columns > 1 { finish(s01, 0, 1) }
        if columns > 2 { finish(s02, 0, 2) }
        if rows > 1 {
            finish(s10, 1, 0)
            if columns > 1 { finish(s11, 1, 1) }
            if columns > 2 { finish(s12, 1, 2) }
        }
        if rows > 2 {
            finish(s20, 2, 0)
            if columns > 1 { finish(s21, 2, 1) }
            if columns > 2 { finish(s22, 2, 2) }
        }
        if rows > 3 {
            finish(s30, 3, 0)
            if columns > 1 { finish(s31, 3, 1) }
            if columns > 2 { finish(s32, 3, 2) }
        }
    }
}
