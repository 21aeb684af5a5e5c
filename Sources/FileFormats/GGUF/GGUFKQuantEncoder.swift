/// Encoders for the 256-value k-quant super-blocks (GG:src/ggml-quants.c `quantize_row_q4_K_ref`,
/// `quantize_row_q6_K_ref`; layouts in ggml-common.h). Each sub-block's scale (and minimum) is fitted by weighted
/// least squares over a few candidate grids, then the sub-block scales are themselves quantized against one f16
/// super-block scale, and every value is rounded to the level its final scale gives.
enum GGUFKQuantEncoder {
    // MARK: Q4_K {f16 d; f16 dmin; u8 scales[12]; u8 qs[128]}: 8 sub-blocks of 32, value = d·sc·q - dmin·m, q in 0...15

    static func encodeQ4K(_ x: [Float], _ out: inout [UInt8]) {
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        for j in 0 ..< 8 {
            let sub = Array(x[32 * j ..< 32 * j + 32])
            // Weights favour large values over the sub-block's RMS level, as ggml's reference does.
            let rms = (sub.reduce(Float(0)) { $0 + $1 * $1 } / 32).squareRoot()
            let weights = sub.map { rms + abs($0) }
            (scales[j], mins[j]) = fitScaleAndMinimum(sub, weights: weights, maxLevel: 15)
        }
        let maxScale = scales.max() ?? 0, maxMin = mins.max() ?? 0
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var sixBitScales = [Int](repeating: 0, count: 8), sixBitMins = [Int](repeating: 0, count: 8)
        for j in 0 ..< 8 {
            sixBitScales[j] = min(63, Int((inverseScale * scales[j]).rounded()))
            sixBitMins[j] = min(63, Int((inverseMin * mins[j]).rounded()))
        }
        // Sub-blocks 0-3 keep their 6-bit scale/min in bytes 0-3/4-7; 4-7 keep the low nibbles in bytes 8-11
        // and their top two bits in the top bits of bytes 0-3 (scale) and 4-7 (min).
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0 ..< 8 {
            let s = UInt8(sixBitScales[j]), m = UInt8(sixBitMins[j])
            if j < 4 {
                packed[j] |= s
                packed[j + 4] |= m
            } else {
                packed[j + 4] = (s & 0xF) | (m & 0xF) << 4
                packed[j - 4] |= (s >> 4) << 6
                packed[j] |= (m >> 4) << 6
            }
        }
        GGUFRequantizer.storeHalf(maxScale / 63, &out, at: 0)
        GGUFRequantizer.storeHalf(maxMin / 63, &out, at: 2)
        for k in 0 ..< 12 { out[4 + k] = packed[k] }
        // Levels against the scales as stored (f16 super-scales times the 6-bit sub-scales).
        let d = halfRounded(maxScale / 63), dmin = halfRounded(maxMin / 63)
        var levels = [Int](repeating: 0, count: 256)
        for j in 0 ..< 8 {
            let step = d * Float(sixBitScales[j])
            guard step != 0 else { continue }
            let offset = dmin * Float(sixBitMins[j])
            for i in 0 ..< 32 { levels[32 * j + i] = max(0, min(15, Int(((x[32 * j + i] + offset) / step).rounded()))) }
        }
        // Each 32 bytes hold sub-blocks 2k (low nibbles) and 2k+1 (high nibbles).
        for chunk in 0 ..< 4 {
            for l in 0 ..< 32 {
                out[16 + 32 * chunk + l] = UInt8(levels[64 * chunk + l]) | UInt8(levels[64 * chunk + 32 + l]) << 4
            }
        }
    }

    /// The scale s ≥ 0 and minimum m ≥ 0 of `x ≈ s·q - m` (q in 0...maxLevel) with the smallest weighted squared
    /// error among the plain min/max grid and 21 slightly stretched ones, each refined by least squares.
    static func fitScaleAndMinimum(_ x: [Float], weights w: [Float], maxLevel: Int) -> (scale: Float, minimum: Float) {
        var low = min(0, x.min() ?? 0)
        let high = x.max() ?? 0
        guard high > low else { return (0, -low) }
        let levelCount = Float(maxLevel)
        func levels(_ inverse: Float, _ offset: Float) -> [Float] {
            x.map { Float(max(0, min(maxLevel, Int((inverse * ($0 - offset)).rounded())))) }
        }
        func error(_ q: [Float], _ scale: Float, _ offset: Float) -> Float {
            var total: Float = 0
            for i in x.indices { let diff = scale * q[i] + offset - x[i]; total += w[i] * diff * diff }
            return total
        }
        var bestScale = (high - low) / levelCount
        var bestError = error(levels(levelCount / (high - low), low), bestScale, low)
        let sumW = w.reduce(0, +)
        var sumX: Float = 0
        for i in x.indices { sumX += w[i] * x[i] }
        for step in 0 ... 20 {
            let inverse = (levelCount - 1 + 0.1 * Float(step)) / (high - low)
            let q = levels(inverse, low)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in x.indices { sumL += w[i] * q[i]; sumL2 += w[i] * q[i] * q[i]; sumXL += w[i] * x[i] * q[i] }
            let det = sumW * sumL2 - sumL * sumL
            guard det > 0 else { continue }
            var scale = (sumW * sumXL - sumX * sumL) / det
            var offset = (sumL2 * sumX - sumL * sumXL) / det
            if offset > 0 {  // the minimum must not be above zero: fit the scale alone
                offset = 0
                scale = sumXL / sumL2
            }
            let candidate = error(q, scale, offset)
            if candidate < bestError {
                bestError = candidate
                bestScale = scale
                low = offset
            }
        }
        return (bestScale, -low)
    }

    // MARK: Q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}: 16 sub-blocks of 16, value = d·sc·(q - 32)

    static func encodeQ6K(_ x: [Float], _ out: inout [UInt8]) {
        var scales = [Float](repeating: 0, count: 16)
        var largest: Float = 0, largestSigned: Float = 0
        for j in 0 ..< 16 {
            scales[j] = fitSymmetricScale(Array(x[16 * j ..< 16 * j + 16]), maxLevel: 32)
            if abs(scales[j]) > largest { largest = abs(scales[j]); largestSigned = scales[j] }
        }
        guard largest > 1e-15 else { return }  // all zero: every byte 0 decodes to 0
        let inverse = -128 / largestSigned
        GGUFRequantizer.storeHalf(1 / inverse, &out, at: 208)
        let d = halfRounded(1 / inverse)
        var levels = [Int](repeating: 32, count: 256)
        for j in 0 ..< 16 {
            let scale = min(127, Int((inverse * scales[j]).rounded()))
            out[192 + j] = UInt8(bitPattern: Int8(clamping: scale))
            let step = d * Float(Int8(clamping: scale))
            guard step != 0 else { continue }
            for i in 0 ..< 16 { levels[16 * j + i] = max(-32, min(31, Int((x[16 * j + i] / step).rounded()))) + 32 }
        }
        // Per half of 128: ql[l] = low nibbles of elements l and l+64, ql[l+32] of l+32 and l+96; qh[l] holds the
        // top two bits of l, l+32, l+64, l+96.
        for half in 0 ..< 2 {
            let base = 128 * half, ql = 64 * half, qh = 128 + 32 * half
            for l in 0 ..< 32 {
                let q1 = levels[base + l], q2 = levels[base + l + 32], q3 = levels[base + l + 64], q4 = levels[base + l + 96]
                out[ql + l] = UInt8(q1 & 0xF) | UInt8(q3 & 0xF) << 4
                out[ql + l + 32] = UInt8(q2 & 0xF) | UInt8(q4 & 0xF) << 4
                out[qh + l] = UInt8(q1 >> 4) | UInt8(q2 >> 4) << 2 | UInt8(q3 >> 4) << 4 | UInt8(q4 >> 4) << 6
            }
        }
    }

    /// The scale s of `x ≈ s·q` (q in -maxLevel...maxLevel-1), fitted with weights x² over 19 grids around the one
    /// that maps the value of largest magnitude to -maxLevel; 0 for an all-zero sub-block.
    static func fitSymmetricScale(_ x: [Float], maxLevel: Int) -> Float {
        var largest: Float = 0, largestSigned: Float = 0
        for v in x where abs(v) > largest { largest = abs(v); largestSigned = v }
        guard largest > 1e-15 else { return 0 }
        func fit(_ inverse: Float) -> (sumXL: Float, sumL2: Float) {
            var sumXL: Float = 0, sumL2: Float = 0
            for v in x {
                let q = Float(max(-maxLevel, min(maxLevel - 1, Int((inverse * v).rounded()))))
                let w = v * v
                sumXL += w * v * q
                sumL2 += w * q * q
            }
            return (sumXL, sumL2)
        }
        let first = fit(-Float(maxLevel) / largestSigned)
        var scale = first.sumL2 > 0 ? first.sumXL / first.sumL2 : 0
        var best = scale * first.sumXL
        for step in -9 ... 9 where step != 0 {
            let candidate = fit(-(Float(maxLevel) + 0.1 * Float(step)) / largestSigned)
            // Maximising sumXL²/sumL2 minimises the weighted squared error of the least-squares scale.
            if candidate.sumL2 > 0 && candidate.sumXL * candidate.sumXL > best * candidate.sumL2 {
                scale = candidate.sumXL / candidate.sumL2
                best = scale * candidate.sumXL
            }
        }
        return scale
    }

    /// `x` as the nearest f16 gives it back.
    static func halfRounded(_ x: Float) -> Float { GGUFDequantizer.halfToFloat(GGUFRequantizer.halfBits(x)) }
}
