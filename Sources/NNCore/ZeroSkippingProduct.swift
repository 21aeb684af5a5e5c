import CNNKernels
import Dispatch

/// C (m×n) = Aᵀ·B for A stored k×m and B k×n when A is mostly exact zeros, skipping the zeros.
///
/// This is the weight gradient gᵀ·x of a Linear layer followed by ReLU: the upstream gradient is exactly zero
/// wherever the unit was off (about half of them), so half the multiply-adds of a dense product add `0·x`.
/// Row o of C is Σ over the non-zero g[b, o] of g[b, o]·(row b of B): per row, the non-zeros are listed once,
/// then each 64-column block of C is eight vector sums fed by one broadcast per listed row. A 64-column block of
/// B (16 KiB for 64 rows) stays in L1 while every row of C passes over it.
///
/// Skipping `0·x` changes nothing when x is finite (`s + 0·x` is `s`, up to the sign of a zero sum), so the
/// product is only used after checking that B has no infinity or NaN; otherwise (or when A is dense) the caller
/// uses the dense kernel and gets PyTorch's NaN propagation.
enum ZeroSkippingProduct {
    /// Above this fraction of non-zeros in A the dense kernel is faster.
    static let maximumDensity = 0.6
    /// Columns of C per block (eight SIMD8 sums).
    static let blockColumns = 64

    /// Whether the product is big enough for the scans of A and B to be negligible.
    @inline(__always)
    static func isCandidate(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> Bool {
        guard transposeA && !transposeB && n >= 64 && m >= 8 && k >= 8 && k <= 4096 else { return false }
        let work = (m * k).multipliedReportingOverflow(by: n)  // m·k ≤ the size of A, so it cannot overflow
        return work.overflow || work.partialValue >= PackedGemm.parallelThreshold
    }

    /// Computes C = Aᵀ·B and returns true when A is sparse enough and B finite; returns false (C untouched)
    /// otherwise.
    static func multiplyIfSparse(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                 m: Int, n: Int, k: Int, threads: Int, variant: KernelVariant = .best) -> Bool {
        let nonZeros = countNonZeros(a, count: m * k)
        guard Double(nonZeros) <= maximumDensity * Double(m * k), isFinite(b, count: k * n) else { return false }
        let lhs = StridedMatrix(base: a, rowStride: 1, columnStride: m)
        let rhs = StridedMatrix(base: b, rowStride: n, columnStride: 1)
        let out = OutputMatrix(base: c, rowStride: n)
        let parts = Swift.max(1, Swift.min(threads, m / 8))
        if parts == 1 {
            rows(0 ..< m, a: lhs, b: rhs, c: out, n: n, k: k, variant: variant)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                rows(m * part / parts ..< m * (part + 1) / parts, a: lhs, b: rhs, c: out, n: n, k: k, variant: variant)
            }
        }
        return true
    }

    /// Rows `range` of C: list each row's non-zeros of A, then sweep the column blocks.
    static func rows(_ range: Range<Int>, a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, n: Int, k: Int,
                     variant: KernelVariant = .best) {
        let rowCount = range.count
        if rowCount == 0 { return }
        let m = a.columnStride  // A is stored k×m
        // For row r of this range: counts[r] non-zeros, their B-row offsets and values at r*k.
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: rowCount * k)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: rowCount * k)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: rowCount)
        defer {
            offsets.deallocate()
            values.deallocate()
            counts.deallocate()
        }
        counts.initialize(repeating: 0, count: rowCount)
        for p in 0 ..< k {
            // Row p of the stored A is contiguous; append without branching (a zero is written, then overwritten).
            let source = a.base + p * m + range.lowerBound
            let bOffset = p * b.rowStride
            for r in 0 ..< rowCount {
                let value = source[r]
                let slot = r &* k &+ counts[r]
                offsets[slot] = bOffset
                values[slot] = value
                counts[r] &+= value != 0 ? 1 : 0
            }
        }
        var j = 0
        while j + blockColumns <= n {
            for r in 0 ..< rowCount {
                cnn_sparse_row_block(variant.cVariant, Int32(blockColumns / 8), offsets + r * k, values + r * k, counts[r],
                                     b.base + j, c.base + (range.lowerBound + r) * c.rowStride + j)
            }
            j += blockColumns
        }
        // The last n mod 64 columns: up to seven 8-column strips in one pass (independent sums, so the
        // multiply-adds don't wait on each other), then single columns.
        let strips = (n - j) / 8
        if strips > 0 {
            for r in 0 ..< rowCount {
                cnn_sparse_row_block(variant.cVariant, Int32(strips), offsets + r * k, values + r * k, counts[r],
                                     b.base + j, c.base + (range.lowerBound + r) * c.rowStride + j)
            }
            j += 8 * strips
        }
        while j < n {
            for r in 0 ..< rowCount {
                let list = offsets + r * k, scale = values + r * k
                var sum: Float = 0
                for t in 0 ..< counts[r] { sum += scale[t] * b.base[j + list[t]] }
                c.base[(range.lowerBound + r) * c.rowStride + j] = sum
            }
            j += 1
        }
    }

    /// The number of non-zero floats (vectorised: a lane compare per element, summed at the end).
    static func countNonZeros(_ x: UnsafePointer<Float>, count: Int) -> Int {
        let raw = UnsafeRawPointer(x)
        var lanes = SIMD8<Int32>()
        var i = 0
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            // A true lane is -1 as an integer.
            lanes &-= unsafeBitCast(v .!= SIMD8<Float>(), to: SIMD8<Int32>.self)
            i += 8
        }
        var total = Int(lanes.wrappedSum())
        while i < count {
            if x[i] != 0 { total += 1 }
            i += 1
        }
        return total
    }

    /// Whether every float is finite: x − x is 0 for finite x and NaN for ±∞ and NaN, and NaN survives a sum.
    static func isFinite(_ x: UnsafePointer<Float>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(x)
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc += v - v
            i += 8
        }
        var tail: Float = 0
        while i < count {
            tail += x[i] - x[i]
            i += 1
        }
        return (acc.sum() + tail) == 0
    }
}
