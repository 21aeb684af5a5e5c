/// The register-blocked inner step of the packed matrix product: a 6×16 tile of C from packed panels.
///
/// Twelve SIMD8 accumulators (6 rows × 2 vectors of 8 columns) stay in registers for the whole `kc` loop, which
/// with the two B vectors and one broadcast A value fills the 16 AVX2 registers without spilling.
enum GemmMicroKernel {
    /// Rows of C computed per call.
    static let rows = 6
    /// Columns of C computed per call.
    static let columns = 16

    /// One multiply-add of packed vectors: `acc + x·y`, fused when the build targets FMA hardware.
    @inline(__always)
    static func multiplyAdd(_ acc: SIMD8<Float>, _ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
        #if NNVIEW_FMA
        // Only with -target-cpu haswell (see Package.swift): without FMA hardware this lowers to 8 libm calls.
        return acc.addingProduct(x, y)
        #else
        return acc + x * y
        #endif
    }

    /// Computes the full 6×16 tile `packedA(6×kc) · packedB(kc×16)` into `tile` (row stride `tileStride`),
    /// storing or adding to it.
    ///
    /// `packedA` holds column p of the 6-row panel at `p*6`, `packedB` row p of the 16-column panel at `p*16`;
    /// both are 32-byte aligned, and padded with zeros where C's edge tile is partial.
    @inline(__always)
    static func tile(kc: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
                     tile c: UnsafeMutablePointer<Float>, tileStride ldc: Int, accumulate: Bool) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let bRaw = UnsafeRawPointer(packedB)
        var a = packedA
        var offset = 0
        for _ in 0 ..< kc {
            let b0 = bRaw.load(fromByteOffset: offset, as: SIMD8<Float>.self)
            let b1 = bRaw.load(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
            var av = SIMD8<Float>(repeating: a[0])
            c00 = multiplyAdd(c00, av, b0); c01 = multiplyAdd(c01, av, b1)
            av = SIMD8<Float>(repeating: a[1])
            c10 = multiplyAdd(c10, av, b0); c11 = multiplyAdd(c11, av, b1)
            av = SIMD8<Float>(repeating: a[2])
            c20 = multiplyAdd(c20, av, b0); c21 = multiplyAdd(c21, av, b1)
            av = SIMD8<Float>(repeating: a[3])
            c30 = multiplyAdd(c30, av, b0); c31 = multiplyAdd(c31, av, b1)
            av = SIMD8<Float>(repeating: a[4])
            c40 = multiplyAdd(c40, av, b0); c41 = multiplyAdd(c41, av, b1)
            av = SIMD8<Float>(repeating: a[5])
            c50 = multiplyAdd(c50, av, b0); c51 = multiplyAdd(c51, av, b1)
            a += 6
            offset &+= 64
        }
        store(c00, c01, to: c, accumulate: accumulate)
        store(c10, c11, to: c + ldc, accumulate: accumulate)
        store(c20, c21, to: c + 2 &* ldc, accumulate: accumulate)
        store(c30, c31, to: c + 3 &* ldc, accumulate: accumulate)
        store(c40, c41, to: c + 4 &* ldc, accumulate: accumulate)
        store(c50, c51, to: c + 5 &* ldc, accumulate: accumulate)
    }

    /// Writes (or adds) 16 floats of one tile row.
    @inline(__always)
    static func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, to row: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(row)
        if accumulate {
            let oldLow = raw.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
            let oldHigh = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            raw.storeBytes(of: oldLow + low, toByteOffset: 0, as: SIMD8<Float>.self)
            raw.storeBytes(of: oldHigh + high, toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            raw.storeBytes(of: low, toByteOffset: 0, as: SIMD8<Float>.self)
            raw.storeBytes(of: high, toByteOffset: 32, as: SIMD8<Float>.self)
        }
    }
}
