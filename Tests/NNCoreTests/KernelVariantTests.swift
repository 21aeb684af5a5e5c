import Foundation
@testable import NNCore
import Testing

/// Every compiled variant of the C kernels (CNNKernels), forced one at a time, against the Double reference on
/// odd shapes and edge tiles, through each path that calls them. On this project's AVX2 machines that includes
/// the portable variant, which such a machine never picks by itself.
@Suite("C kernel variants against the reference product")
struct KernelVariantTests {
    /// The variants this CPU runs: portable and AVX2 + FMA on x86-64 with both, AVX-512 too where the CPU and OS
    /// have it (`fastestMatchesTheCPU` checks that this machine reports what /proc/cpuinfo says), the portable one
    /// elsewhere.
    static let variants = KernelVariant.allCases.filter(\.isSupported)

    /// Runs `body` with raw pointers to a, b and a NaN-filled c (so an output the kernel forgets shows up).
    func product(_ a: [Float], _ b: [Float], count: Int,
                 _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var c = [Float](repeating: .nan, count: count)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in body(ap.baseAddress!, bp.baseAddress!, cp.baseAddress!) }
            }
        }
        return c
    }

    /// The dispatcher finds AVX2 + FMA exactly when the CPU has both, and AVX-512 exactly when it also has
    /// AVX-512 F and VL (read here from /proc/cpuinfo on Linux x86-64, whose flags leave out AVX-512 when the kernel
    /// does not save the 512-bit registers); `fastest` is the widest of them.
    @Test func fastestMatchesTheCPU() throws {
        #expect(KernelVariant.portable.isSupported)
        #expect(KernelVariant.fastest.isSupported)
        #expect(KernelVariant.best == .portable)  // in debug builds, so test results don't depend on the CPU
        #if arch(x86_64) && os(Linux)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(try #require(info.split(separator: "\n").first { $0.hasPrefix("flags") }).split(separator: " "))
        let hasBoth = flags.contains("avx2") && flags.contains("fma")
        let hasAVX512 = hasBoth && flags.contains("avx512f") && flags.contains("avx512vl")
        #expect(KernelVariant.avx2FMA.isSupported == hasBoth)
        #expect(KernelVariant.avx512.isSupported == hasAVX512)
        #expect(KernelVariant.fastest == (hasAVX512 ? .avx512 : hasBoth ? .avx2FMA : .portable))
        #else
        #expect(KernelVariant.fastest == .portable || KernelVariant.fastest.isSupported)
        #expect(!KernelVariant.avx512.isSupported || KernelVariant.fastest == .avx512)
        #endif
    }

    /// The micro-kernel alone on packed panels (6×16, or 8×32 for AVX-512): depths 1…9 and one full K block, stored
    /// and accumulated, into a row stride wider than the tile.
    @Test(arguments: variants)
    func gemmTile(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 61)
        let mr = GemmMicroKernel.tiling(for: variant).rows, nr = GemmMicroKernel.tiling(for: variant).columns
        let ldc = nr + 5
        for kc in [1, 2, 3, 5, 8, 9, 256] {
            let a = randomValues(mr * kc, &generator), b = randomValues(kc * nr, &generator)
            let start = randomValues(mr * ldc, &generator)
            for accumulate in [false, true] {
                var c = start
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GemmMicroKernel.tile(kc: kc, packedA: ap.baseAddress!, packedB: bp.baseAddress!,
                                                 tile: cp.baseAddress!, tileStride: ldc, accumulate: accumulate,
                                                 variant: variant)
                        }
                    }
                }
                var worst: Double = 0
                for i in 0 ..< mr {
                    for j in 0 ..< ldc {
                        var expected = j < nr && accumulate ? Double(start[i * ldc + j]) : 0
                        if j < nr {
                            for p in 0 ..< kc { expected += Double(a[p * mr + i]) * Double(b[p * nr + j]) }
                        } else {
                            expected = Double(start[i * ldc + j])  // beyond the tile: untouched
                        }
                        worst = Swift.max(worst, Swift.abs(Double(c[i * ldc + j]) - expected))
                    }
                }
                #expect(worst < 1e-5 * Double(kc).squareRoot(), "\(variant) kc=\(kc) accumulate=\(accumulate)")
            }
        }
    }

    /// The packed product (one and two threads) and the dispatch on sizes around the 6×16 and 8×32 tiles and the
    /// KC/MC blocks, every transpose combination.
    @Test(arguments: variants)
    func packedProduct(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 62)
        let shapes = [(1, 1, 1), (5, 15, 3), (6, 16, 8), (7, 17, 9), (13, 33, 1), (12, 32, 257), (130, 37, 300),
                      (61, 97, 513)]
        for (m, n, k) in shapes {
            for transposes in 0 ..< 4 {
                let transposeA = transposes % 2 == 1, transposeB = transposes / 2 == 1
                let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                for threads in [1, 2] {
                    let got = product(a, b, count: m * n) { pa, pb, pc in
                        let lhs = StridedMatrix(base: pa, rowStride: transposeA ? 1 : k, columnStride: transposeA ? m : 1)
                        let rhs = StridedMatrix(base: pb, rowStride: transposeB ? 1 : n, columnStride: transposeB ? k : 1)
                        PackedGemm.multiply(a: lhs, b: rhs, c: OutputMatrix(base: pc, rowStride: n), m: m, n: n, k: k,
                                            threads: threads, variant: variant)
                    }
                    #expect(maxError(got, expected, k: k) < 1e-5,
                            "\(variant) packed m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB) threads=\(threads)")
                }
                let dispatched = product(a, b, count: m * n) { pa, pb, pc in
                    matmulKernel(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                 variant: variant)
                }
                #expect(maxError(dispatched, expected, k: k) < 1e-5,
                        "\(variant) matmulKernel m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB)")
            }
        }
    }

    /// Dot tiles of A·Bᵀ: every edge tile (rows mod 4, columns mod 3) and every k mod 8, one and two threads.
    @Test(arguments: variants)
    func dotTiles(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 63)
        for k in [1, 7, 8, 9, 15, 64, 67, 100] {
            for (m, n) in [(1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (7, 5), (9, 11), (13, 8)] {
                let a = randomValues(m * k, &generator), b = randomValues(n * k, &generator)
                let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
                for threads in [1, 2] {
                    let got = product(a, b, count: m * n) { pa, pb, pc in
                        DotTileProduct.multiply(a: pa, b: pb, c: pc, m: m, n: n, k: k, threads: threads, variant: variant)
                    }
                    #expect(maxError(got, expected, k: k) < 1e-5, "\(variant) m=\(m) n=\(n) k=\(k) threads=\(threads)")
                }
            }
        }
    }

    /// Groups of eight dot products (whole groups, the shifted last group, four and single rows) with every
    /// k mod 8, through `dotRows`, and one group whose rows end where an unreadable page begins (the AVX2 variant's
    /// masked tail must not read past it).
    @Test(arguments: variants)
    func dotRowGroups(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 64)
        for k in [1, 3, 4, 5, 7, 8, 12, 20, 33, 64, 65, 100] {
            for n in [1, 3, 4, 7, 8, 9, 13, 16, 20] {
                let m = 1 + (n + k) % 3
                let a = randomValues(m * k, &generator), b = randomValues(n * k, &generator)
                let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
                let got = product(a, b, count: m * n) { pa, pb, pc in
                    dotRows(a: pa, b: pb, c: pc, m: m, n: n, k: k, variant: variant)
                }
                #expect(maxError(got, expected, k: k) < 1e-5, "\(variant) m=\(m) n=\(n) k=\(k)")
            }
        }
        // Eight rows of 13 ending exactly at a page the process may not read: a load past their end would crash.
        let k = 13
        let a = randomValues(k, &generator), rows = randomValues(8 * k, &generator)
        let expected = referenceProduct(a, rows, m: 1, n: 8, k: k, transposeA: false, transposeB: true)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let mapping = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapping != MAP_FAILED else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(mapping, 2 * page) }
        #expect(mprotect(mapping + page, page, PROT_NONE) == 0)
        let fenced = (mapping + page - 8 * k * 4).bindMemory(to: Float.self, capacity: 8 * k)
        fenced.update(from: rows, count: 8 * k)
        let got = product(a, rows, count: 8) { pa, _, pc in
            DotRowGroup.dot(pa, rows: fenced, k: k, into: pc, variant: variant)
        }
        #expect(maxError(got, expected, k: k) < 1e-5, "\(variant) one group at the end of a page, k=\(k)")
    }

    /// The unpacked op(A)·B of tiny batches: 32-column strips, zero to three 8-column strips, the 4-column and
    /// single-column tails (every n from 1 to 40), short and long k, plain and transposed A.
    @Test(arguments: variants)
    func directStrips(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 67)
        for n in 1 ... 40 {
            for k in [5, 10, 33] {
                for transposeA in [false, true] {
                    let m = 1 + n % 4
                    let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                    let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
                    let got = product(a, b, count: m * n) { pa, pb, pc in
                        directProduct(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: transposeA, transposeB: false,
                                      variant: variant)
                    }
                    #expect(maxError(got, expected, k: k) < 1e-5, "\(variant) m=\(m) n=\(n) k=\(k) tA=\(transposeA)")
                }
            }
        }
    }

    /// The k ≤ 4 strips: every depth, widths 8…40 (16-column strips, the 16+8 pass, shifted 8- and 16-column
    /// strips), plain and transposed A.
    @Test(arguments: variants)
    func shallowStrips(variant: KernelVariant) {
        var generator = SeededGenerator(seed: 68)
        for k in 1 ... 4 {
            for n in 8 ... 40 {
                for transposeA in [false, true] {
                    let m = 1 + (n + k) % 5
                    let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                    let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
                    let got = product(a, b, count: m * n) { pa, pb, pc in
                        ShallowProduct.multiply(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: transposeA,
                                                variant: variant)
                    }
                    #expect(maxError(got, expected, k: k) < 1e-6, "\(variant) m=\(m) n=\(n) k=\(k) tA=\(transposeA)")
                }
            }
        }
    }

    /// The zero-skipping Aᵀ·B: whole 64-column blocks, 1…7 strips and single columns, one and two threads.
    @Test(arguments: variants)
    func zeroSkippingBlocks(variant: KernelVariant) throws {
        var generator = SeededGenerator(seed: 65)
        for (m, n, k) in [(8, 64, 8), (9, 65, 13), (13, 71, 64), (10, 120, 9), (17, 200, 33)] {
            let a = (0 ..< k * m).map { _ in generator.nextUniform() < 0.7 ? 0 : generator.nextUniform() * 2 - 1 }
            let b = randomValues(k * n, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: true, transposeB: false)
            for threads in [1, 2] {
                var used = false
                let got = product(a, b, count: m * n) { pa, pb, pc in
                    used = ZeroSkippingProduct.multiplyIfSparse(a: pa, b: pb, c: pc, m: m, n: n, k: k, threads: threads,
                                                                variant: variant)
                }
                #expect(used, "\(variant) m=\(m) n=\(n) k=\(k) declined")
                #expect(maxError(got, expected, k: k) < 1e-5, "\(variant) m=\(m) n=\(n) k=\(k) threads=\(threads)")
            }
        }
    }

    /// The variants compute the same products up to rounding (fused and unfused multiply-adds differ in the last
    /// bits), on a shape that runs full tiles of the packed kernel.
    @Test func variantsAgree() {
        var generator = SeededGenerator(seed: 66)
        let m = 48, n = 64, k = 96
        let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
        let results = Self.variants.map { variant in
            product(a, b, count: m * n) { pa, pb, pc in
                matmulKernel(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: false, transposeB: false, variant: variant)
            }
        }
        for result in results.dropFirst() { #expect(maxError(result, results[0], k: k) < 1e-5) }
    }
}
