import CNNKernels
import Dispatch

/// C (m×n) = A·Bᵀ for A m×k and B n×k, both rows contiguous along k, without packing: a 4×3 tile of C is twelve
/// vector dot-product sums over the whole depth, reduced once at the end.
///
/// This is the forward product of a Linear layer (x·Wᵀ) on a small batch (under `maximumRows` rows): there the
/// packed GEMM's copy of the whole weight into panels is not repaid, while here each step loads four A vectors
/// and three B vectors for twelve multiply-adds straight from the rows. A block of A
/// rows (about 192 KiB) stays in L2 while the three B rows of a tile (under 10 KiB for k ≤ 784) stay in L1.
enum DotTileProduct {
    /// Rows of A per tile.
    static let tileRows = 4
    /// Rows of B (columns of C) per tile.
    static let tileColumns = 3
    /// Bytes of A rows kept in L2 while the B tiles sweep over them.
    static let rowBlockBytes = 192 * 1024

    /// Whether this kernel is the better choice: A·Bᵀ with rows long enough (k ≥ 64) that the final
    /// reductions are cheap, and short enough (k ≤ 1024) that a tile's B rows stay in L1, and few rows of A
    /// (fewer than `maximumRows`), so packing B would not pay.
    @inline(__always)
    static func applies(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> Bool {
        transposeB && !transposeA && k >= 64 && k <= 1024 && m >= tileRows && m < maximumRows && n >= tileColumns
    }

    /// From this many rows of A on, the packed product is faster: packing B (8×8 transposes) costs about as
    /// much as four rows of the product, while its 6×16 tile needs 2 loads per 12 multiply-adds against 7 here.
    static let maximumRows = 16

    /// C = A·Bᵀ on `threads` threads, split by columns of C (rows of B), or by rows when C is narrow.
    static func multiply(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         m: Int, n: Int, k: Int, threads: Int, variant: KernelVariant = .best) {
        let lhs = StridedMatrix(base: a, rowStride: k, columnStride: 1)
        let rhs = StridedMatrix(base: b, rowStride: k, columnStride: 1)
        let out = OutputMatrix(base: c, rowStride: n)
        let columnTiles = (n + tileColumns - 1) / tileColumns, rowTiles = (m + tileRows - 1) / tileRows
        let splitColumns = columnTiles >= 2 * threads || columnTiles >= rowTiles
        let tiles = splitColumns ? columnTiles : rowTiles
        let parts = Swift.min(threads, tiles)
        if parts <= 1 {
            serial(a: lhs, b: rhs, c: out, m: m, n: n, k: k, variant: variant)
            return
        }
        forEachParallelPart(of: splitColumns ? n : m, unit: splitColumns ? tileColumns : tileRows, parts: parts) { first, count in
            if splitColumns {
                serial(a: lhs, b: rhs.shifted(rows: first, columns: 0),
                       c: OutputMatrix(base: out.base + first, rowStride: out.rowStride), m: m, n: count, k: k,
                       variant: variant)
            } else {
                serial(a: lhs.shifted(rows: first, columns: 0), b: rhs,
                       c: OutputMatrix(base: out.base + first * out.rowStride, rowStride: out.rowStride),
                       m: count, n: n, k: k, variant: variant)
            }
        }
    }

    /// The single-threaded loops: blocks of A rows, then B tiles, then A tiles.
    static func serial(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int,
                       variant: KernelVariant = .best) {
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
                    // The C kernel has one specialisation per edge shape, so the full tile's loop has no branches.
                    cnn_dot_tile(variant.cVariant, Int32(rows), Int32(columns), aTile, bTile, cTile, k, c.rowStride)
                    i += tileRows
                }
                j += tileColumns
            }
            i0 = blockEnd
        }
    }
}
