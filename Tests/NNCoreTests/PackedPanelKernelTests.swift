@testable import NNCore
import Testing

/// The two kernels that let a product skip packing A and pack a transposed B by 8×8 transposes, alone and in
/// every compiled variant, against Double references.
@Suite("Unpacked-A micro-kernel and transposed-B packing")
struct PackedPanelKernelTests {
    static let variants = KernelVariant.allCases.filter(\.isSupported)

    /// The variant's tile (6×16 or 8×32) reading A from MR rows `lda` apart (lda wider than kc), stored and
    /// accumulated.
    @Test(arguments: variants)
    func tileFromRows(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 71)
        let mr = GemmMicroKernel.tiling(for: variant).rows, nr = GemmMicroKernel.tiling(for: variant).columns
        let ldc = nr + 3
        for kc in [1, 7, 8, 9, 256] {
            let lda = kc + 5
            let a = randomValues(mr * lda, &generator), b = randomValues(kc * nr, &generator)
            let start = randomValues(mr * ldc, &generator)
            for accumulate in [false, true] {
                var c = start
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GemmMicroKernel.tile(kc: kc, rowsOfA: ap.baseAddress!, rowStride: lda,
                                                 packedB: bp.baseAddress!, tile: cp.baseAddress!, tileStride: ldc,
                                                 accumulate: accumulate, variant: variant)
                        }
                    }
                }
                var worst: Double = 0
                for i in 0 ..< mr {
                    for j in 0 ..< ldc {
                        var expected = Double(start[i * ldc + j])  // beyond the tile: untouched
                        if j < nr {
                            expected = accumulate ? expected : 0
                            for p in 0 ..< kc { expected += Double(a[i * lda + p]) * Double(b[p * nr + j]) }
                        }
                        worst = Swift.max(worst, Swift.abs(Double(c[i * ldc + j]) - expected))
                    }
                }
                #expect(worst < 1e-5 * Double(kc).squareRoot(), "\(variant) kc=\(kc) accumulate=\(accumulate)")
            }
        }
    }

    /// Packing `width` rows of S as an NR-column panel of Sᵀ (16, or 32 for AVX-512) is an exact copy with zero
    /// padding, for every width and depths around the 8×8 blocks.
    @Test(arguments: variants)
    func transposedPanels(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 72)
        let nr = GemmMicroKernel.tiling(for: variant).columns
        for kb in [1, 7, 8, 9, 16, 23] {
            for width in [1, 8, 15, 16, nr - 1, nr] {
                let ldb = kb + 3
                let source = randomValues(width * ldb, &generator)
                var panel = [Float](repeating: .nan, count: kb * nr)
                source.withUnsafeBufferPointer { sp in
                    panel.withUnsafeMutableBufferPointer { pp in
                        // Sᵀ as a strided matrix: element (p, j) at j*ldb + p.
                        let transposed = StridedMatrix(base: sp.baseAddress!, rowStride: 1, columnStride: ldb)
                        PackedGemm.packB(transposed, rows: kb, columns: width, into: pp.baseAddress!, variant: variant)
                    }
                }
                var expected = [Float](repeating: 0, count: kb * nr)
                for p in 0 ..< kb { for j in 0 ..< width { expected[p * nr + j] = source[j * ldb + p] } }
                #expect(panel == expected, "\(variant) kb=\(kb) width=\(width)")
            }
        }
    }
}
