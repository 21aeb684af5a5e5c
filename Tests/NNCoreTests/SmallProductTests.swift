@testable import NNCore
import Testing

/// The small-product fast paths (ShallowProduct for k ≤ 4, DotRowGroup inside dotRows) against the Double
/// reference, on every ragged edge they handle. `KernelVariantTests` runs these kernels with each C kernel variant
/// forced; nnbench's `checkSmallProducts` checks the optimised release build on the same kinds of shapes.
@Suite("Small-product kernels against the reference product")
struct SmallProductTests {
    /// Depths 1…4, every width from 8 to 40 (full and shifted 16- and 8-column strips), plain and transposed A.
    @Test(arguments: [1, 2, 3, 4])
    func shallowProductMatchesTheReference(k: Int) {
        var generator = SeededGenerator(seed: UInt64(100 + k))
        for n in 8 ... 40 {
            for transposeA in [false, true] {
                let m = 1 + (n * 7 + k) % 9
                let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
                var c = [Float](repeating: .nan, count: m * n)
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            ShallowProduct.multiply(a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!,
                                                    m: m, n: n, k: k, transposeA: transposeA)
                        }
                    }
                }
                #expect(maxError(c, expected, k: k) < 1e-6, "m=\(m) n=\(n) k=\(k) transposeA=\(transposeA)")
            }
        }
    }

    /// The shapes of a 2-row batch's weight gradients (256×20 and 10×256 with k = 2) through the dispatch.
    @Test func tinyBatchWeightGradientShapes() {
        var generator = SeededGenerator(seed: 5)
        for (m, n, k) in [(256, 20, 2), (10, 256, 2), (8, 8, 2), (1, 8, 2), (8, 4, 2), (64, 9, 3)] {
            let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: true, transposeB: false)
            let got = ProductPath.dispatch.run(a, b, m: m, n: n, k: k, transposeA: true, transposeB: false)
            #expect(maxError(got, expected, k: k) < 1e-6, "m=\(m) n=\(n) k=\(k)")
        }
    }

    /// A·Bᵀ as dot products: widths 1…40 (whole groups of eight, a shifted last group for short rows, four and
    /// single rows for long ones), row lengths with every k mod 8, and the dispatch's own choice.
    @Test(arguments: [1, 3, 4, 5, 7, 8, 12, 20, 33, 64, 65, 100])
    func dotRowsMatchTheReference(k: Int) {
        var generator = SeededGenerator(seed: UInt64(200 + k))
        for n in 1 ... 40 {
            let m = 1 + (n + k) % 4
            let a = randomValues(m * k, &generator), b = randomValues(n * k, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
            var c = [Float](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        dotRows(a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!, m: m, n: n, k: k)
                    }
                }
            }
            #expect(maxError(c, expected, k: k) < 1e-6, "m=\(m) n=\(n) k=\(k)")
            let viaDispatch = ProductPath.dispatch.run(a, b, m: m, n: n, k: k, transposeA: false, transposeB: true)
            #expect(maxError(viaDispatch, expected, k: k) < 1e-6, "dispatch m=\(m) n=\(n) k=\(k)")
        }
    }

    /// A shifted group recomputes some outputs: they must equal the first computation bit for bit, and the
    /// eight sums of a group must equal the group's outputs computed one at a time within rounding.
    @Test func shiftedLastGroupIsConsistent() {
        var generator = SeededGenerator(seed: 9)
        let k = 20, n = 13
        let a = randomValues(k, &generator), b = randomValues(n * k, &generator)
        var c = [Float](repeating: .nan, count: n), first = [Float](repeating: .nan, count: 8)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    dotRows(a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!, m: 1, n: n, k: k)
                }
                first.withUnsafeMutableBufferPointer { fp in
                    DotRowGroup.dot(ap.baseAddress!, rows: bp.baseAddress!, k: k, into: fp.baseAddress!)
                }
            }
        }
        #expect(Array(c[0 ..< 8]) == first)
        #expect(!c.contains { $0.isNaN })
    }
}
