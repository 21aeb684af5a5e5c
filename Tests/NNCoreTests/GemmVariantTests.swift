import CNNKernels
@testable import NNCore
import Testing

/// The packed product's per-variant tiles (6×16 portable and AVX2, 8×32 AVX-512), block loop and packing, against
/// the portable variant and a Double triple loop, on shapes that are not multiples of any tile: every variant this
/// CPU runs, with views, transposes and accumulation.
@Suite("Packed product in every variant against the portable one and the reference")
struct GemmVariantTests {
    static let variants = KernelVariant.allCases.filter(\.isSupported)

    /// Swift's idea of each variant's tile is the tile the C code was compiled for.
    @Test(arguments: KernelVariant.allCases)
    func tileShapeMatchesTheCKernels(variant: KernelVariant) {
        var rows: Int32 = 0, columns: Int32 = 0
        cnn_gemm_tile_shape(variant.cVariant, &rows, &columns)
        let tiling = GemmMicroKernel.tiling(for: variant)
        #expect((Int(rows), Int(columns)) == (tiling.rows, tiling.columns), "\(variant)")
        #expect(tiling.rowBlock % tiling.rows == 0 && tiling.columnBlock % tiling.columns == 0, "\(variant)")
    }

    /// On a CPU with AVX-512 the variant exists and is the fastest. Elsewhere this test does not run, and says so;
    /// `fastestMatchesTheCPU` in KernelVariantTests checks the dispatcher against /proc/cpuinfo either way.
    @Test(.enabled(if: KernelVariant.avx512.isSupported,
                   "this CPU (or its OS) lacks AVX-512 F+VL with the zmm state saved: the avx512 variant is not run"))
    func avx512IsRunAndFastest() {
        #expect(Self.variants.contains(.avx512))
        #expect(KernelVariant.fastest == .avx512)
        #expect(GemmMicroKernel.tiling(for: .avx512) == GemmMicroKernel.wide)
    }

    /// Even blocks for the wide tiling (K = 384 as 2 × 192), full blocks for the 6×16 ones (whose bits must not move).
    @Test func blockSizes() {
        let wide = GemmMicroKernel.wide, narrow = GemmMicroKernel.narrow
        #expect(wide.block(384, limit: 256, unit: 8) == 192)
        #expect(wide.block(768, limit: 256, unit: 8) == 256)
        #expect(wide.block(50257, limit: 256, unit: 8) == 256)
        #expect(wide.block(200, limit: 256, unit: 8) == 200)
        #expect(wide.block(1100, limit: 512, unit: 32) == 384)
        #expect(narrow.block(384, limit: 256, unit: 8) == 256)
        #expect(narrow.block(100, limit: 256, unit: 8) == 100)
    }

    /// C = op(A)·op(B) through `PackedGemm.multiply` for 40 random shapes with m, n, k in 1…130, both transposes,
    /// operands that are views into wider matrices (row strides larger than the rows) and an output with a wider
    /// row stride whose extra columns must stay untouched; one and two threads. Each variant agrees with the Double
    /// reference, and with the portable variant to the same tolerance.
    @Test(arguments: variants)
    func awkwardShapes(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 141)
        var shapes = [(1, 1, 1), (7, 33, 9), (8, 32, 256), (9, 31, 257), (130, 130, 130), (64, 96, 513)]
        for _ in 0 ..< 34 {
            shapes.append((1 + Int(generator.next() % 130), 1 + Int(generator.next() % 130),
                           1 + Int(generator.next() % 130)))
        }
        for (index, (m, n, k)) in shapes.enumerated() {
            let transposeA = index % 2 == 1, transposeB = index / 2 % 2 == 1
            // Stored shapes, each row padded by `pad` floats that the product must not read as data.
            let pad = 1 + index % 5
            let aRows = transposeA ? k : m, aColumns = transposeA ? m : k
            let bRows = transposeB ? n : k, bColumns = transposeB ? k : n
            let aStride = aColumns + pad, bStride = bColumns + pad, cStride = n + pad
            let a = randomValues(aRows * aStride, &generator), b = randomValues(bRows * bStride, &generator)
            var expected = [Double](repeating: 0, count: m * n)
            for i in 0 ..< m {
                for j in 0 ..< n {
                    var sum = 0.0
                    for p in 0 ..< k {
                        let av = transposeA ? a[p * aStride + i] : a[i * aStride + p]
                        let bv = transposeB ? b[j * bStride + p] : b[p * bStride + j]
                        sum += Double(av) * Double(bv)
                    }
                    expected[i * n + j] = sum
                }
            }
            let tolerance = 2e-6 * Double(k).squareRoot() + 1e-6
            for threads in [1, 2] {
                var results: [[Float]] = []
                for runVariant in [variant, .portable] {
                    var c = [Float](repeating: .nan, count: m * cStride)
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            c.withUnsafeMutableBufferPointer { cp in
                                let lhs = StridedMatrix(base: ap.baseAddress!, rowStride: transposeA ? 1 : aStride,
                                                        columnStride: transposeA ? aStride : 1)
                                let rhs = StridedMatrix(base: bp.baseAddress!, rowStride: transposeB ? 1 : bStride,
                                                        columnStride: transposeB ? bStride : 1)
                                PackedGemm.multiply(a: lhs, b: rhs, c: OutputMatrix(base: cp.baseAddress!, rowStride: cStride),
                                                    m: m, n: n, k: k, threads: threads, variant: runVariant)
                            }
                        }
                    }
                    results.append(c)
                }
                let label = "\(variant) m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB) threads=\(threads)"
                var worst = 0.0, worstAgainstPortable = 0.0, untouched = true
                for i in 0 ..< m {
                    for j in 0 ..< cStride {
                        let got = results[0][i * cStride + j], portable = results[1][i * cStride + j]
                        if j >= n {
                            untouched = untouched && got.isNaN
                            continue
                        }
                        worst = Swift.max(worst, Swift.abs(Double(got) - expected[i * n + j]))
                        worstAgainstPortable = Swift.max(worstAgainstPortable, Swift.abs(Double(got) - Double(portable)))
                    }
                }
                #expect(worst < tolerance, "\(label): \(worst) from the Double reference")
                #expect(worstAgainstPortable < tolerance, "\(label): \(worstAgainstPortable) from portable")
                #expect(untouched, "\(label): wrote past column n")
            }
        }
    }

    /// One packed block with accumulation (`cnn_gemm_block`): C += A·B for A packed and read in place, on every
    /// edge (rows and columns mod the tile), leaving C outside the block untouched.
    @Test(arguments: variants)
    func blockAccumulates(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 142)
        let tiling = GemmMicroKernel.tiling(for: variant)
        for (mb, nb, kb) in [(1, 1, 1), (tiling.rows, tiling.columns, 9), (tiling.rows + 3, 2 * tiling.columns - 5, 31),
                             (19, 70, 64), (5, 3, 200)] {
            for readsInPlace in [false, true] {
                let lda = kb + 2, ldc = nb + 4
                let a = randomValues(mb * lda, &generator), b = randomValues(kb * nb, &generator)
                let start = randomValues((mb + 1) * ldc, &generator)
                var c = start
                let panelCount = (mb + tiling.rows - 1) / tiling.rows * tiling.rows * kb
                var packedA = [Float](repeating: .nan, count: panelCount)
                var packedB = [Float](repeating: .nan, count: (nb + tiling.columns - 1) / tiling.columns * tiling.columns * kb)
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        let full = mb / tiling.rows * tiling.rows
                        let lhs = StridedMatrix(base: ap.baseAddress!, rowStride: lda, columnStride: 1)
                        packedA.withUnsafeMutableBufferPointer { pa in
                            if readsInPlace {
                                if full < mb {
                                    PackedGemm.packA(lhs.shifted(rows: full, columns: 0), rows: mb - full, columns: kb,
                                                     into: pa.baseAddress!, variant: variant)
                                }
                            } else {
                                PackedGemm.packA(lhs, rows: mb, columns: kb, into: pa.baseAddress!, variant: variant)
                            }
                        }
                        packedB.withUnsafeMutableBufferPointer { pb in
                            PackedGemm.packB(StridedMatrix(base: bp.baseAddress!, rowStride: nb, columnStride: 1),
                                             rows: kb, columns: nb, into: pb.baseAddress!, variant: variant)
                        }
                        c.withUnsafeMutableBufferPointer { cp in
                            cnn_gemm_block(variant.cVariant, mb, nb, kb, readsInPlace ? ap.baseAddress! : nil, lda,
                                           packedA, packedB, cp.baseAddress!, ldc, 1)
                        }
                    }
                }
                var worst = 0.0, untouched = true
                for i in 0 ... mb {
                    for j in 0 ..< ldc {
                        let value = c[i * ldc + j]
                        guard i < mb && j < nb else {
                            untouched = untouched && value == start[i * ldc + j]
                            continue
                        }
                        var expected = Double(start[i * ldc + j])
                        for p in 0 ..< kb { expected += Double(a[i * lda + p]) * Double(b[p * nb + j]) }
                        worst = Swift.max(worst, Swift.abs(Double(value) - expected))
                    }
                }
                let label = "\(variant) mb=\(mb) nb=\(nb) kb=\(kb) inPlace=\(readsInPlace)"
                #expect(worst < 2e-6 * Double(kb).squareRoot() + 1e-6, "\(label): \(worst)")
                #expect(untouched, "\(label): wrote outside the block")
            }
        }
    }

    /// Packing is an exact copy with zero padding in every variant, for both layouts of the source (entries
    /// contiguous, depths contiguous, and neither), every panel width in use, and counts around the panels.
    @Test(arguments: variants)
    func packingIsACopy(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 143)
        for width in [6, 8, 16, 32] {
            for count in [1, width - 1, width, width + 3, 3 * width] {
                for depth in [1, 7, 8, 17] {
                    for layout in 0 ..< 3 {
                        // layout 0: entries contiguous; 1: depths contiguous; 2: both strided.
                        let (entryStride, depthStride) = layout == 0 ? (1, count + 2)
                            : layout == 1 ? (depth + 3, 1) : (2 * (depth + 1), 2)
                        let source = randomValues(count * entryStride + depth * depthStride + 4, &generator)
                        let panels = (count + width - 1) / width
                        var packed = [Float](repeating: .nan, count: panels * width * depth)
                        source.withUnsafeBufferPointer { sp in
                            packed.withUnsafeMutableBufferPointer { pp in
                                cnn_gemm_pack(variant.cVariant, Int32(width), count, depth, sp.baseAddress!,
                                              entryStride, depthStride, pp.baseAddress!)
                            }
                        }
                        var expected = [Float](repeating: 0, count: packed.count)
                        for q in 0 ..< panels {
                            for p in 0 ..< depth {
                                for i in 0 ..< width where q * width + i < count {
                                    expected[q * width * depth + p * width + i] =
                                        source[(q * width + i) * entryStride + p * depthStride]
                                }
                            }
                        }
                        #expect(packed == expected,
                                "\(variant) width=\(width) count=\(count) depth=\(depth) layout=\(layout)")
                    }
                }
            }
        }
    }
}
