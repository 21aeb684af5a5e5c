import CNNKernels

/// Eight dot products of one row with eight consecutive rows, reduced together: the inner step of `dotRows`.
///
/// Each load of the shared row feeds eight multiply-adds into eight vector sums. The loop is C
/// (`cnn_dot_row_group`): the AVX2 variant reduces the eight sums by a `vhaddps` tree in nine instructions and
/// does a ragged end of the rows (k mod 8) in one masked step, so a 20-long row costs three vector steps; the
/// portable variant sums each vector and finishes the ragged end with scalars.
enum DotRowGroup {
    /// out[r] = Σₚ a[p]·rows[r·k + p] for r in 0..<8.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, rows: UnsafePointer<Float>, k: Int, into out: UnsafeMutablePointer<Float>,
                    variant: KernelVariant = .best) {
        cnn_dot_row_group(variant.cVariant, a, rows, k, out)
    }
}
