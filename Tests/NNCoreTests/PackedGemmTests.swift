@testable import NNCore
import Testing

/// op(A)·op(B) by the textbook triple loop in Double, from row-major storage (A stored k×m when `transposeA`,
/// B stored n×k when `transposeB`).
func referenceProduct(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int,
                      transposeA: Bool, transposeB: Bool) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0 ..< m {
        for j in 0 ..< n {
            var sum = 0.0
            for p in 0 ..< k {
                let av = transposeA ? a[p * m + i] : a[i * k + p]
                let bv = transposeB ? b[j * k + p] : b[p * n + j]
                sum += Double(av) * Double(bv)
            }
            c[i * n + j] = Float(sum)
        }
    }
    return c
}

/// Random values in [-1, 1) from a seeded generator, so failures reproduce.
func randomValues(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
    (0 ..< count).map { _ in generator.nextUniform() * 2 - 1 }
}

/// Largest |x − y| relative to the scale of a k-term dot product of values in [-1, 1].
func maxError(_ x: [Float], _ y: [Float], k: Int) -> Float {
    var worst: Float = 0
    for (u, v) in zip(x, y) { worst = Swift.max(worst, Swift.abs(u - v)) }
    return worst / Float(Swift.max(k, 1)).squareRoot()
}

/// Which implementation a comparison runs.
enum ProductPath: CaseIterable, CustomStringConvertible {
    case dispatch, packedSingle, packedThreaded, direct

    var description: String {
        switch self {
        case .dispatch: "matmulKernel"
        case .packedSingle: "packed, 1 thread"
        case .packedThreaded: "packed, 2 threads"
        case .direct: "direct loops"
        }
    }

    func run(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> [Float] {
        // Prefilled with NaN so a tile the kernel forgets to write shows up as a mismatch.
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    let pa = ap.baseAddress!, pb = bp.baseAddress!, pc = cp.baseAddress!
                    switch self {
                    case .dispatch:
                        matmulKernel(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                    case .packedSingle, .packedThreaded:
                        let lhs = StridedMatrix(base: pa, rowStride: transposeA ? 1 : k, columnStride: transposeA ? m : 1)
                        let rhs = StridedMatrix(base: pb, rowStride: transposeB ? 1 : n, columnStride: transposeB ? k : 1)
                        PackedGemm.multiply(a: lhs, b: rhs, c: OutputMatrix(base: pc, rowStride: n), m: m, n: n, k: k,
                                            threads: self == .packedSingle ? 1 : 2)
                    case .direct:
                        directProduct(a: pa, b: pb, c: pc, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                    }
                }
            }
        }
        return c
    }
}

@Suite("Packed matmul kernel against the reference product")
struct PackedGemmTests {
    /// Every path and transpose variant on random sizes in 1…70, which hit full and partial 6×16 tiles.
    @Test(arguments: ProductPath.allCases)
    func randomSmallShapes(path: ProductPath) {
        var generator = SeededGenerator(seed: 42)
        for trial in 0 ..< 24 {
            let m = 1 + Int(generator.next() % 70), n = 1 + Int(generator.next() % 70), k = 1 + Int(generator.next() % 70)
            let transposeA = trial % 2 == 1, transposeB = (trial / 2) % 2 == 1
            let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
            let got = path.run(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
            #expect(maxError(got, expected, k: k) < 1e-5,
                    "\(path) m=\(m) n=\(n) k=\(k) transposeA=\(transposeA) transposeB=\(transposeB)")
        }
    }

    /// Edge tiles exactly: sizes one below, at and above the micro-tile (6×16) and at 1.
    @Test(arguments: [false, true], [false, true])
    func tileBoundaries(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 7)
        for m in [1, 5, 6, 7, 12, 13] {
            for n in [1, 15, 16, 17, 32, 33] {
                for k in [1, 3, 8] {
                    let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                    let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                    for path in [ProductPath.packedSingle, .packedThreaded] {
                        let got = path.run(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                        #expect(maxError(got, expected, k: k) < 1e-5, "\(path) m=\(m) n=\(n) k=\(k)")
                    }
                }
            }
        }
    }

    /// Shapes that cross the cache blocks: more rows than one A block (120), deeper than one K block (256),
    /// wider than one B block (2048), tall and narrow (split by rows when threaded).
    @Test(arguments: [(130, 37, 300), (7, 2100, 5), (250, 9, 20), (61, 97, 513)])
    func blockBoundaries(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 1000 + n))
        for variant in 0 ..< 4 {
            let transposeA = variant % 2 == 1, transposeB = variant / 2 == 1
            let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
            let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
            for path in [ProductPath.packedSingle, .packedThreaded, .dispatch] {
                let got = path.run(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                #expect(maxError(got, expected, k: k) < 1e-5, "\(path) m=\(m) n=\(n) k=\(k) variant \(variant)")
            }
        }
    }

    /// k = 0 gives zeros, m or n = 0 writes nothing.
    @Test func emptyDimensions() {
        let got = ProductPath.packedThreaded.run([], [], m: 3, n: 4, k: 0, transposeA: false, transposeB: false)
        #expect(got == [Float](repeating: 0, count: 12))
        #expect(ProductPath.packedSingle.run([], [1, 2], m: 0, n: 2, k: 1, transposeA: false, transposeB: false).isEmpty)
    }

    /// The dispatch picks one thread for small products and the processor count for big ones.
    @Test func threadCountFollowsSize() {
        #expect(PackedGemm.threadCount(m: 8, n: 8, k: 8) == 1)
        #expect(PackedGemm.threadCount(m: 1024, n: 1024, k: 1024) == PackedGemm.processorCount)
        #expect(PackedGemm.threadCount(m: .max, n: 2, k: 2) == PackedGemm.processorCount)
    }
}

/// The direct loops on the narrow shapes of tiny batches (a 2-row batch's weight gradient is m×n with k = 2):
/// every column count from 1 to 40 covers zero to three 8-column strips after the 32-column blocks plus every
/// tail length, for short and long k, plain and transposed A.
@Test func directProductNarrowShapesMatchTheReference() {
    var generator = SeededGenerator(seed: 7)
    for n in 1 ... 40 {
        for k in [1, 2, 3, 10] {
            for transposeA in [false, true] {
                let m = 1 + n % 5
                let a = randomValues(m * k, &generator), b = randomValues(k * n, &generator)
                let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
                let got = ProductPath.direct.run(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
                #expect(maxError(got, expected, k: k) < 1e-5, "m=\(m) n=\(n) k=\(k) transposeA=\(transposeA)")
            }
        }
    }
}
