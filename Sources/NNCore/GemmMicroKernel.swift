import CNNKernels

/// The register-blocked inner step of the packed matrix product: a 6×16 tile of C from packed panels.
///
/// The loop itself is C (`cnn_gemm_tile_6x16` in CNNKernels), compiled for AVX2 + FMA and for any CPU: twelve
/// 8-float accumulators (6 rows × 2 vectors of 8 columns) stay in registers for the whole `kc` loop, which with
/// the two B vectors and one broadcast A value fills the 16 AVX2 registers without spilling.
enum GemmMicroKernel {
    /// Rows of C computed per call.
    static let rows = 6
    /// Columns of C computed per call.
    static let columns = 16

    /// Computes the full 6×16 tile `packedA(6×kc) · packedB(kc×16)` into `tile` (row stride `tileStride`),
    /// storing or adding to it.
    ///
    /// `packedA` holds column p of the 6-row panel at `p*6`, `packedB` row p of the 16-column panel at `p*16`;
    /// both are padded with zeros where C's edge tile is partial.
    @inline(__always)
    static func tile(kc: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
                     tile c: UnsafeMutablePointer<Float>, tileStride ldc: Int, accumulate: Bool,
                     variant: KernelVariant) {
        cnn_gemm_tile_6x16(variant.cVariant, kc, packedA, packedB, c, ldc, accumulate ? 1 : 0)
    }

    /// The same tile with A read in place: row i of the 6×kc block at `rowsOfA + i*rowStride` (contiguous along
    /// k), so a product whose A rows are contiguous packs only B (`cnn_gemm_tile_6x16_rows`).
    @inline(__always)
    static func tile(kc: Int, rowsOfA a: UnsafePointer<Float>, rowStride lda: Int, packedB: UnsafePointer<Float>,
                     tile c: UnsafeMutablePointer<Float>, tileStride ldc: Int, accumulate: Bool,
                     variant: KernelVariant) {
        cnn_gemm_tile_6x16_rows(variant.cVariant, kc, a, lda, packedB, c, ldc, accumulate ? 1 : 0)
    }
}
