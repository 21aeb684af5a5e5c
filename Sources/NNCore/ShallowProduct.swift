import CNNKernels

/// C = op(A)·B when the depth k is at most `maximumDepth` (the weight gradient of a 2-row batch is m×n with k = 2).
///
/// With so little depth the cost of a product is all loop overhead: the general direct loop re-enters a k loop
/// per 8-column strip and per row. Here the k rows of a 16-column (or 8-column) strip of B are loaded into
/// registers once and every row of C takes k broadcasts and k multiply-adds per vector. A ragged right edge is
/// covered by one more strip shifted left to end at column n, which recomputes a few columns with exactly the
/// same operations (so the same bits) instead of running a scalar tail. The strip loops are C
/// (`cnn_shallow_strip` in CNNKernels, one copy per depth and strip kind); the choice of strips stays here.
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
                         m: Int, n: Int, k: Int, transposeA: Bool, variant: KernelVariant = .best) {
        precondition(k >= 1 && k <= maximumDepth && n >= 8, "ShallowProduct: k \(k), n \(n) out of range")
        strips(depth: k, a: a, b: b, c: c, m: m, n: n, transposeA: transposeA, variant: variant)
    }

    /// Walks C in 16-column strips (the last one, or an 8-column one, shifted left to end at n).
    private static func strips(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                               c: UnsafeMutablePointer<Float>, m: Int, n: Int, transposeA: Bool,
                               variant: KernelVariant) {
        let aRowStep = transposeA ? 1 : depth, aColumnStep = transposeA ? m : 1
        /// One C call per strip: kind 0 is 8 columns, 1 is 16, 2 is 16 plus the 8 ending at n.
        @inline(__always) func strip(kind: Int32, _ column: Int, tailColumn: Int = 0) {
            cnn_shallow_strip(variant.cVariant, Int32(depth), kind, a, b, c, m, n, column, tailColumn,
                              aRowStep, aColumnStep)
        }
        @inline(__always) func wide(_ column: Int) { strip(kind: 1, column) }
        @inline(__always) func narrow(_ column: Int) { strip(kind: 0, column) }
        var j = 0
        let wholeStrips = n / 16, remaining = n - 16 * wholeStrips
        if wholeStrips >= 1 && remaining >= 1 && remaining <= 8 {
            // The last 16-column strip and the 8 columns ending at n in one pass (n = 20: one pass per row).
            while j + 32 <= n {
                wide(j)
                j += 16
            }
            strip(kind: 2, j, tailColumn: n - 8)
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
}
