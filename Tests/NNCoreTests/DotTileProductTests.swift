@testable import NNCore
import Testing

/// The unpacked A·Bᵀ kernel (a Linear layer's forward product) against the Double reference.
@Suite("Dot-tile product against the reference product")
struct DotTileProductTests {
    /// Runs the kernel directly (bypassing the dispatch's size rules) on `threads` threads.
    func run(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, threads: Int) -> [Float] {
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    DotTileProduct.multiply(a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!,
                                            m: m, n: n, k: k, threads: threads)
                }
            }
        }
        return c
    }

    /// Every edge-tile shape (rows mod 4, columns mod 3), ragged depths (k mod 8) and both thread splits.
    @Test(arguments: [1, 7, 8, 64, 67, 100, 129])
    func randomShapesMatchTheReference(k: Int) {
        var generator = SeededGenerator(seed: UInt64(300 + k))
        for trial in 0 ..< 16 {
            let m = 1 + Int(generator.next() % 13), n = 1 + Int(generator.next() % 11)
            let a = randomValues(m * k, &generator), b = randomValues(n * k, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
            let threads = 1 + trial % 2
            #expect(maxError(run(a, b, m: m, n: n, k: k, threads: threads), expected, k: k) < 1e-5,
                    "m=\(m) n=\(n) k=\(k) threads=\(threads)")
        }
    }

    /// More A rows than one L2 block (48 rows at k = 1024), tall-and-narrow (split by rows) and wide shapes.
    @Test(arguments: [(50, 7, 1024), (61, 2, 200), (5, 70, 96), (64, 26, 784)])
    func blocksAndSplits(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 31 + n))
        let a = randomValues(m * k, &generator), b = randomValues(n * k, &generator)
        let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
        for threads in [1, 2] {
            #expect(maxError(run(a, b, m: m, n: n, k: k, threads: threads), expected, k: k) < 1e-5,
                    "m=\(m) n=\(n) k=\(k) threads=\(threads)")
        }
        let viaDispatch = ProductPath.dispatch.run(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
        #expect(maxError(viaDispatch, expected, k: k) < 1e-5)
    }
}
