#if NNVIEW_FMA
import _Builtin_intrinsics.intel
#endif

/// Eight dot products of one row with eight consecutive rows, reduced together: the inner step of `dotRows`.
///
/// Each load of the shared row feeds eight multiply-adds into eight vector sums. With AVX (release builds on
/// this machine kind) the eight sums are reduced by a `vhaddps` tree in nine instructions, and a ragged end of the
/// rows (k mod 8) is one masked step, so a 20-long row costs three vector steps; the portable build sums each
/// vector and finishes the ragged end with scalars.
enum DotRowGroup {
    /// out[r] = Σₚ a[p]·rows[r·k + p] for r in 0..<8.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, rows: UnsafePointer<Float>, k: Int, into out: UnsafeMutablePointer<Float>) {
        let aRaw = UnsafeRawPointer(a)
        let rowBytes = k &* 4
        let r0 = UnsafeRawPointer(rows), r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes
        let r4 = r3 + rowBytes, r5 = r4 + rowBytes, r6 = r5 + rowBytes, r7 = r6 + rowBytes
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var s4 = SIMD8<Float>(), s5 = SIMD8<Float>(), s6 = SIMD8<Float>(), s7 = SIMD8<Float>()
        var offset = 0
        let vectorBytes = (k & ~7) &* 4
        while offset < vectorBytes {
            let av = aRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s0 = GemmMicroKernel.multiplyAdd(s0, av, r0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s1 = GemmMicroKernel.multiplyAdd(s1, av, r1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s2 = GemmMicroKernel.multiplyAdd(s2, av, r2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s3 = GemmMicroKernel.multiplyAdd(s3, av, r3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s4 = GemmMicroKernel.multiplyAdd(s4, av, r4.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s5 = GemmMicroKernel.multiplyAdd(s5, av, r5.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s6 = GemmMicroKernel.multiplyAdd(s6, av, r6.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            s7 = GemmMicroKernel.multiplyAdd(s7, av, r7.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            offset &+= 32
        }
        let tail = k & 7
        #if NNVIEW_FMA
        if tail > 0 {
            // Masked loads read only the first `tail` floats (the rest are zero and never touch memory), so the
            // last row's end is never overrun.
            // maskload tests each lane's sign bit: lane − tail is negative exactly for the first `tail` lanes.
            let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &- SIMD8(repeating: Int32(truncatingIfNeeded: tail))
            let mask64 = unsafeBitCast(lanes, to: __m256i.self)
            @inline(__always) func masked(_ r: UnsafeRawPointer) -> SIMD8<Float> {
                _mm256_maskload_ps((r + offset).assumingMemoryBound(to: Float.self), mask64)
            }
            let av = masked(aRaw)
            s0 = GemmMicroKernel.multiplyAdd(s0, av, masked(r0)); s1 = GemmMicroKernel.multiplyAdd(s1, av, masked(r1))
            s2 = GemmMicroKernel.multiplyAdd(s2, av, masked(r2)); s3 = GemmMicroKernel.multiplyAdd(s3, av, masked(r3))
            s4 = GemmMicroKernel.multiplyAdd(s4, av, masked(r4)); s5 = GemmMicroKernel.multiplyAdd(s5, av, masked(r5))
            s6 = GemmMicroKernel.multiplyAdd(s6, av, masked(r6)); s7 = GemmMicroKernel.multiplyAdd(s7, av, masked(r7))
        }
        let total = sums(s0, s1, s2, s3, s4, s5, s6, s7)
        UnsafeMutableRawPointer(out).storeBytes(of: total, as: SIMD8<Float>.self)
        #else
        let sums = [s0.sum(), s1.sum(), s2.sum(), s3.sum(), s4.sum(), s5.sum(), s6.sum(), s7.sum()]
        for r in 0 ..< 8 {
            var total = sums[r]
            let row = rows + r * k
            for p in (k - tail) ..< k { total += a[p] * row[p] }
            out[r] = total
        }
        #endif
    }

    #if NNVIEW_FMA
    /// [s0.sum(), …, s7.sum()]: two rounds of `vhaddps` leave the sums of each 128-bit lane, one cross-lane add
    /// finishes them.
    @inline(__always)
    static func sums(_ s0: SIMD8<Float>, _ s1: SIMD8<Float>, _ s2: SIMD8<Float>, _ s3: SIMD8<Float>,
                     _ s4: SIMD8<Float>, _ s5: SIMD8<Float>, _ s6: SIMD8<Float>, _ s7: SIMD8<Float>) -> SIMD8<Float> {
        // [s0 lane0, s1 lane0, s2 lane0, s3 lane0 | the same for lane 1]
        let low = _mm256_hadd_ps(_mm256_hadd_ps(s0, s1), _mm256_hadd_ps(s2, s3))
        let high = _mm256_hadd_ps(_mm256_hadd_ps(s4, s5), _mm256_hadd_ps(s6, s7))
        return SIMD8(lowHalf: low.lowHalf, highHalf: high.lowHalf) + SIMD8(lowHalf: low.highHalf, highHalf: high.highHalf)
    }
    #endif
}
