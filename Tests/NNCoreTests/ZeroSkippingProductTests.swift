@testable import NNCore
import Testing

/// The zero-skipping Aᵀ·B (a ReLU layer's weight gradient) against the Double reference and its refusals.
@Suite("Zero-skipping product against the reference product")
struct ZeroSkippingProductTests {
    /// Random values with about `zeroFraction` of them exactly zero.
    func sparseValues(_ count: Int, zeroFraction: Float, _ generator: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { _ in generator.nextUniform() < zeroFraction ? 0 : generator.nextUniform() * 2 - 1 }
    }

    /// Runs the kernel directly; nil when it declines.
    func run(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, threads: Int) -> [Float]? {
        var c = [Float](repeating: .nan, count: m * n)
        let used = a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    ZeroSkippingProduct.multiplyIfSparse(a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!,
                                                         m: m, n: n, k: k, threads: threads)
                }
            }
        }
        return used ? c : nil
    }

    /// Widths with whole 64-column blocks, 8-column strips and single columns; odd row counts split over threads.
    @Test(arguments: [(8, 64, 8), (9, 65, 13), (13, 71, 64), (50, 130, 7), (17, 200, 33), (31, 784, 64)])
    func sparseShapesMatchTheReference(shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 1000 + n))
        let a = sparseValues(k * m, zeroFraction: 0.55, &generator), b = randomValues(k * n, &generator)
        let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: true, transposeB: false)
        for threads in [1, 2] {
            let got = try #require(run(a, b, m: m, n: n, k: k, threads: threads))
            #expect(maxError(got, expected, k: k) < 1e-6, "m=\(m) n=\(n) k=\(k) threads=\(threads)")
        }
        // All-zero rows of Aᵀ give rows of zeros.
        let zeros = [Float](repeating: 0, count: k * m)
        #expect(try #require(run(zeros, b, m: m, n: n, k: k, threads: 2)) == [Float](repeating: 0, count: m * n))
    }

    /// Dense A is left to the dense kernel; so is a B with an infinity or NaN (0·∞ must give NaN, as in PyTorch).
    @Test func declinesDenseOrNonFiniteOperands() {
        var generator = SeededGenerator(seed: 4)
        let m = 16, n = 64, k = 16
        let dense = randomValues(k * m, &generator), sparse = sparseValues(k * m, zeroFraction: 0.7, &generator)
        var b = randomValues(k * n, &generator)
        #expect(run(dense, b, m: m, n: n, k: k, threads: 1) == nil)
        #expect(run(sparse, b, m: m, n: n, k: k, threads: 1) != nil)
        b[77] = .infinity
        #expect(run(sparse, b, m: m, n: n, k: k, threads: 1) == nil)
        b[77] = .nan
        #expect(run(sparse, b, m: m, n: n, k: k, threads: 1) == nil)
        // Through the dispatch the NaN reaches every output whose row multiplies it, zero or not.
        let big = 200  // large enough for the dispatch to consider the sparse kernel
        let a2 = sparseValues(big * 64, zeroFraction: 0.7, &generator)
        var b2 = randomValues(big * 64, &generator)
        b2[5] = .nan  // row 0 of B
        let got = ProductPath.dispatch.run(a2, b2, m: 64, n: 64, k: big, transposeA: true, transposeB: false)
        #expect(got[5].isNaN && got[64 + 5].isNaN)
    }

    @Test func countsNonZerosAndChecksFiniteness() {
        let values: [Float] = [0, 1, -0.0, 2, 0, 0, 3, 4, 5, 0, 6]
        values.withUnsafeBufferPointer { p in
            #expect(ZeroSkippingProduct.countNonZeros(p.baseAddress!, count: p.count) == 6)
            #expect(ZeroSkippingProduct.isFinite(p.baseAddress!, count: p.count))
        }
        for bad in [Float.infinity, -.infinity, .nan] {
            var copy = values
            copy[9] = bad
            copy.withUnsafeBufferPointer { p in #expect(!ZeroSkippingProduct.isFinite(p.baseAddress!, count: p.count)) }
        }
    }
}
