@testable import NNCore
import Testing

/// The two kernels that let a product skip packing A and pack a transposed B by 8×8 transposes, alone and in
/// every compiled variant, against Double references.
@Suite("Unpacked-A micro-kernel and transposed-B packing")
struct PackedPanelKernelTests {
    static let variants = KernelVariant.allCases.filter(\.isSupported)

    /// The 6×16 tile reading A from six rows `lda` apart (lda wider than kc), stored and accumulated.
    @Test(arguments: variants)
    func tileFromRows(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 71)
        let ldc = 19
        for kc in [1, 7, 8, 9, 256] {
            let lda = kc + 5
            let a = randomValues(6 * lda, &generator), b = randomValues(kc * 16, &generator)
            let start = randomValues(6 * ldc, &generator)
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
                for i in 0 ..< 6 {
                    for j in 0 ..< ldc {
                        var expected = Double(start[i * ldc + j])  // beyond the tile: untouched
                        if j < 16 {
                            expected = accumulate ? expected : 0
                            for p in 0 ..< kc { expected += Double(a[i * lda + p]) * Double(b[p * 16 + j]) }
                        }
                        worst = Swift.max(worst, Swift.abs(Double(c[i * ldc + j]) - expected))
                    }
                }
                #expect(worst < 1e-5 * Double(kc).squareRoot(), "\(variant) kc=\(kc) accumulate=\(accumulate)")
            }
        }
    }

    /// Packing `width` rows of S as a 16-column panel of Sᵀ is an exact copy with zero padding, for every width
    /// and depths around the 8×8 blocks.
    @Test(arguments: variants)
    func transposedPanels(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 72)
        for kb in [1, 7, 8, 9, 16, 23] {
            for width in [1, 8, 15, 16] {
                let ldb = kb + 3
                let source = randomValues(width * ldb, &generator)
                var panel = [Float](repeating: .nan, count: kb * 16)
                source.withUnsafeBufferPointer { sp in
                    panel.withUnsafeMutableBufferPointer { pp in
                        // Sᵀ as a strided matrix: element (p, j) at j*ldb + p.
                        let transposed = StridedMatrix(base: sp.baseAddress!, rowStride: 1, columnStride: ldb)
                        PackedGemm.packB(transposed, rows: kb, columns: width, into: pp.baseAddress!, variant: variant)
                    }
                }
                var expected = [Float](repeating: 0, count: kb * 16)
                for p in 0 ..< kb { for j in 0 ..< width { expected[p * 16 + j] = source[j * ldb + p] } }
                #expect(panel == expected, "\(variant) kb=\(kb) width=\(width)")
            }
        }
    }
}
