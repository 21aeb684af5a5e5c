/// C = op(A)·B when the depth k is at most `maximumDepth` (the weight gradient of a 2-row batch is m×n with k = 2).
///
/// With so little depth the cost of a product is all loop overhead: the general direct loop re-enters a k loop
/// per 8-column strip and per row. Here the k rows of a 16-column (or 8-column) strip of B are loaded into
/// registers once and every row of C takes k broadcasts and k multiply-adds per vector. A ragged right edge is
/// covered by one more strip shifted left to end at column n, which recomputes a few columns with exactly the
/// same operations (so the same bits) instead of running a scalar tail.
enum ShallowProduct {
    /// The largest depth handled (each strip keeps 2·k vectors of B in registers).
    static let maximumDepth = 4

    /// Whether `multiply` applies: B not transposed, 1 ≤ k ≤ `maximumDepth`, at least one 8-column strip.
    @inline(__always)
    static func applies(n: Int, k: Int, transposeB: Bool) -> Bool {
        !transposeB && k >= 1 && k <= maximumDepth && n >= 8
    }

    /// C (m×n) = op(A)·B with A m×k (stored k×m when `transposeA`) and B k×n; requires `applies`.
    static func multiply(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         m: Int, n: Int, k: Int, transposeA: Bool) {
        precondition(k >= 1 && k <= maximumDepth && n >= 8, "ShallowProduct: k \(k), n \(n) out of range")
        // One copy of the loops per depth, so the per-row work has no loop over k left.
        switch k {
        case 1: strips(depth: 1, a: a, b: b, c: c, m: m, n: n, transposeA: transposeA)
        case 2: strips(depth: 2, a: a, b: b, c: c, m: m, n: n, transposeA: transposeA)
        case 3: strips(depth: 3, a: a, b: b, c: c, m: m, n: n, transposeA: transposeA)
        default: strips(depth: 4, a: a, b: b, c: c, m: m, n: n, transposeA: transposeA)
        }
    }

    /// Walks C in 16-column strips (the last one, or an 8-column one, shifted left to end at n).
    @inline(__always)
    private static func strips(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                               c: UnsafeMutablePointer<Float>, m: Int, n: Int, transposeA: Bool) {
        let aRowStep = transposeA ? 1 : depth, aColumnStep = transposeA ? m : 1
        @inline(__always) func wide(_ column: Int) {
            wideStrip(depth: depth, withTail: false, a: a, b: b, c: c, m: m, n: n, column: column, tailColumn: 0,
                      aRowStep: aRowStep, aColumnStep: aColumnStep)
        }
        @inline(__always) func narrow(_ column: Int) {
            narrowStrip(depth: depth, a: a, b: b, c: c, m: m, n: n, column: column,
                        aRowStep: aRowStep, aColumnStep: aColumnStep)
        }
        var j = 0
        let wholeStrips = n / 16, remaining = n - 16 * wholeStrips
        if wholeStrips >= 1 && remaining >= 1 && remaining <= 8 {
            // The last 16-column strip and the 8 columns ending at n in one pass (n = 20: one pass per row).
            while j + 32 <= n {
                wide(j)
                j += 16
            }
            wideStrip(depth: depth, withTail: true, a: a, b: b, c: c, m: m, n: n, column: j, tailColumn: n - 8,
                      aRowStep: aRowStep, aColumnStep: aColumnStep)
            return
        }
        while n - j >= 16 {
            wide(j)
            j += 16
        }
        if remaining > 8 {
            if n >= 16 {
                wide(n - 16)
            } else {
                narrow(0)
                narrow(n - 8)
            }
        } else if remaining > 0 {
            narrow(n - 8)
        }
    }

    /// Columns `column ..< column+16` of every row of C, and with `withTail` (a constant after inlining) also
    /// `tailColumn ..< tailColumn+8` from the same broadcasts.
    @inline(__always)
    private static func wideStrip(depth: Int, withTail: Bool, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                  c: UnsafeMutablePointer<Float>, m: Int, n: Int, column: Int, tailColumn: Int,
                                  aRowStep: Int, aColumnStep: Int) {
        let bRaw = UnsafeRawPointer(b)
        let rowBytes = n &* 4
        @inline(__always) func row(_ p: Int, _ start: Int) -> SIMD8<Float> {
            p < depth ? bRaw.loadUnaligned(fromByteOffset: p &* rowBytes &+ start &* 4, as: SIMD8<Float>.self) : SIMD8()
        }
        let b00 = row(0, column), b01 = row(0, column + 8), b10 = row(1, column), b11 = row(1, column + 8)
        let b20 = row(2, column), b21 = row(2, column + 8), b30 = row(3, column), b31 = row(3, column + 8)
        let t0 = withTail ? row(0, tailColumn) : SIMD8(), t1 = withTail ? row(1, tailColumn) : SIMD8()
        let t2 = withTail ? row(2, tailColumn) : SIMD8(), t3 = withTail ? row(3, tailColumn) : SIMD8()
        var aRow = a
        var cRaw = UnsafeMutableRawPointer(c)
        for _ in 0 ..< m {
            var av = SIMD8<Float>(repeating: aRow[0])
            var low = av * b00, high = av * b01, tail = av * t0
            if depth > 1 {
                av = SIMD8<Float>(repeating: aRow[aColumnStep])
                low = GemmMicroKernel.multiplyAdd(low, av, b10); high = GemmMicroKernel.multiplyAdd(high, av, b11)
                if withTail { tail = GemmMicroKernel.multiplyAdd(tail, av, t1) }
            }
            if depth > 2 {
                av = SIMD8<Float>(repeating: aRow[2 &* aColumnStep])
                low = GemmMicroKernel.multiplyAdd(low, av, b20); high = GemmMicroKernel.multiplyAdd(high, av, b21)
                if withTail { tail = GemmMicroKernel.multiplyAdd(tail, av, t2) }
            }
            if depth > 3 {
                av = SIMD8<Float>(repeating: aRow[3 &* aColumnStep])
                low = GemmMicroKernel.multiplyAdd(low, av, b30); high = GemmMicroKernel.multiplyAdd(high, av, b31)
                if withTail { tail = GemmMicroKernel.multiplyAdd(tail, av, t3) }
            }
            // The tail first: where it overlaps the strip, the strip's stores (the same values) come last anyway.
            if withTail { cRaw.storeBytes(of: tail, toByteOffset: tailColumn &* 4, as: SIMD8<Float>.self) }
            cRaw.storeBytes(of: low, toByteOffset: column &* 4, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: high, toByteOffset: column &* 4 &+ 32, as: SIMD8<Float>.self)
            aRow += aRowStep
            cRaw += rowBytes
        }
    }

    /// Columns `column ..< column+8` of every row of C.
    @inline(__always)
    private static func narrowStrip(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                    c: UnsafeMutablePointer<Float>, m: Int, n: Int, column: Int,
                                    aRowStep: Int, aColumnStep: Int) {
        let bRaw = UnsafeRawPointer(b + column)
        let rowBytes = n &* 4
        @inline(__always) func row(_ p: Int) -> SIMD8<Float> {
            p < depth ? bRaw.loadUnaligned(fromByteOffset: p &* rowBytes, as: SIMD8<Float>.self) : SIMD8()
        }
        let b0 = row(0), b1 = row(1), b2 = row(2), b3 = row(3)
        var aRow = a
        var cRaw = UnsafeMutableRawPointer(c + column)
        for _ in 0 ..< m {
            var sum = SIMD8<Float>(repeating: aRow[0]) * b0
            if depth > 1 { sum = GemmMicroKernel.multiplyAdd(sum, SIMD8<Float>(repeating: aRow[aColumnStep]), b1) }
            if depth > 2 { sum = GemmMicroKernel.multiplyAdd(sum, SIMD8<Float>(repeating: aRow[2 &* aColumnStep]), b2) }
            if depth > 3 { sum = GemmMicroKernel.multiplyAdd(sum, SIMD8<Float>(repeating: aRow[3 &* aColumnStep]), b3) }
            cRaw.storeBytes(of: sum, toByteOffset: 0, as: SIMD8<Float>.self)
            aRow += aRowStep
            cRaw += rowBytes
        }
    }
}
