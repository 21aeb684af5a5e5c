import CNNKernels

/// The register-blocked inner step of the packed matrix product: an MR×NR tile of C from packed panels, with the
/// tile shape and the cache blocking around it chosen per kernel variant (`GemmMicroKernel.tiling(for:)`).
///
/// The loops are C (CNNKernels): the portable and AVX2 + FMA variants keep a 6×16 tile in twelve 8-float
/// accumulators (with the two B vectors and one broadcast A value that fills the 16 AVX2 registers); the AVX-512
/// variant keeps an 8×32 tile in sixteen 16-float accumulators of its 32 registers (`gemm_avx512.c`). A whole
/// packed block — every tile of it, edges included — is one C call (`cnn_gemm_block`).
enum GemmMicroKernel {
    /// The portable and AVX2 tiling: 6×16 tiles; a 16-column B panel 256 deep is 16 KiB, half of L1, and stays there
    /// while 120×256 floats of A (120 KiB) stream from L2 past it; B blocks of 256×2048 floats (2 MiB) in L3.
    static let narrow = GemmTiling(rows: 6, columns: 16, depthBlock: 256, rowBlock: 120, columnBlock: 2048,
                                   balancedBlocks: false)
    /// The AVX-512 tiling: 8×32 tiles; an 8×256 A panel (8 KiB) stays in L1 while the B block of at most 256×512
    /// floats (512 KiB, half of the 1 MiB L2 of Zen 4/5 and recent Intel cores) streams past it. Depth and column
    /// blocks are split evenly (K = 384 as 2 × 192, not 256 + 128), so no pass is a short one.
    static let wide = GemmTiling(rows: 8, columns: 32, depthBlock: 256, rowBlock: 192, columnBlock: 512,
                                 balancedBlocks: true)

    /// The tiling `variant`'s kernels are compiled for (the C side's `cnn_gemm_tile_shape` agrees; a test checks).
    @inline(__always)
    static func tiling(for variant: KernelVariant) -> GemmTiling {
        variant == .avx512 ? wide : narrow
    }

    /// Computes the full tile `packedA(MR×kc) · packedB(kc×NR)` into `tile` (row stride `tileStride`), storing or
    /// adding to it, with MR×NR the variant's tile.
    ///
    /// `packedA` holds column p of the MR-row panel at `p*MR`, `packedB` row p of the NR-column panel at `p*NR`;
    /// both are padded with zeros where C's edge tile is partial.
    @inline(__always)
    static func tile(kc: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
                     tile c: UnsafeMutablePointer<Float>, tileStride ldc: Int, accumulate: Bool,
                     variant: KernelVariant) {
        cnn_gemm_tile(variant.cVariant, kc, packedA, packedB, c, ldc, accumulate ? 1 : 0)
    }

    /// The same tile with A read in place: row i of the MR×kc block at `rowsOfA + i*rowStride` (contiguous along
    /// k), so a product whose A rows are contiguous packs only B (`cnn_gemm_tile_rows`).
    @inline(__always)
    static func tile(kc: Int, rowsOfA a: UnsafePointer<Float>, rowStride lda: Int, packedB: UnsafePointer<Float>,
                     tile c: UnsafeMutablePointer<Float>, tileStride ldc: Int, accumulate: Bool,
                     variant: KernelVariant) {
        cnn_gemm_tile_rows(variant.cVariant, kc, a, lda, packedB, c, ldc, accumulate ? 1 : 0)
    }
}

/// The packed product's register tile and cache blocks for one kernel variant.
struct GemmTiling: Sendable, Equatable {
    /// Rows of C per micro-kernel call (MR): the height of a packed A panel.
    let rows: Int
    /// Columns of C per micro-kernel call (NR): the width of a packed B panel.
    let columns: Int
    /// Most depth (k) packed at a time.
    let depthBlock: Int
    /// Most rows of A packed at a time (a multiple of `rows`).
    let rowBlock: Int
    /// Most columns of B packed at a time (a multiple of `columns`).
    let columnBlock: Int
    /// Whether a dimension longer than its block is cut into equal blocks (rounded up to `unit`) rather than full
    /// blocks and a short last one. The 6×16 variants keep the full blocks, so their results (and the goldens of
    /// debug builds, which use the portable variant) keep their bits.
    let balancedBlocks: Bool

    /// The block size for a dimension of `length`: at most `limit`, a multiple of `unit` unless `length` is smaller.
    func block(_ length: Int, limit: Int, unit: Int) -> Int {
        if length <= limit { return length }
        guard balancedBlocks else { return limit }
        let blocks = (length + limit - 1) / limit
        let size = (length + blocks - 1) / blocks
        return Swift.min(limit, (size + unit - 1) / unit * unit)
    }
}
