// Eight-lane versions of the libm functions the activations need, so GELU runs as straight SIMD loops instead of
// a libm call per element (tanhf, erff and expf were about a sixth of a GPT-2 forward).

/// Eight-lane math with float32 accuracy (a few units in the last place).
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// eˣ (Cephes' expf): x = n·ln 2 + r with |r| ≤ ½ ln 2, a degree-6 polynomial for eʳ, 2ⁿ from the exponent
    /// bits. Inputs are clamped to [−87.3, 88.3], so the result is finite and ≥ 2⁻¹²⁶ (NaN lanes stay NaN
    /// through the polynomial).
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        // Clamped by comparisons and selects: `clamped(lowerBound:upperBound:)` calls the standard library's
        // generic pointwiseMin/Max out of line (they showed up as 1.5% of BERT's forward); NaN fails both tests.
        let low = Vector(repeating: -87.3), high = Vector(repeating: 88.3)
        let x = input.replacing(with: low, where: input .< low).replacing(with: high, where: input .> high)
        // Round x·log₂e to the nearest integer by adding 1.5·2²³: the integer is then the low mantissa bits.
        let magic = Vector(repeating: 12_582_912)
        let shifted = x * Vector(repeating: 1.44269504088896341) + magic
        let n = shifted - magic
        var r = x - n * Vector(repeating: 0.693359375)
        r = r - n * Vector(repeating: -2.12194440e-4)
        var p = Vector(repeating: 1.9875691500e-4)
        p = p * r + Vector(repeating: 1.3981999507e-3)
        p = p * r + Vector(repeating: 8.3334519073e-3)
        p = p * r + Vector(repeating: 4.1665795894e-2)
        p = p * r + Vector(repeating: 1.6666665459e-1)
        p = p * r + Vector(repeating: 5.0000001201e-1)
        p = p * (r * r) + r + Vector(repeating: 1)
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000)
        let scale = unsafeBitCast((integer &+ SIMD8<Int32>(repeating: 127)) &<< SIMD8<Int32>(repeating: 23), to: Vector.self)
        return p * scale
    }

    /// tanh(x) = 1 − 2 / (e²ˣ + 1) (exact ±1 far out, absolute error about 1e-7 near 0).
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        Vector(repeating: 1) - Vector(repeating: 2) / (exp(x + x) + Vector(repeating: 1))
    }

    /// erf(x) by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7), odd-extended to negative x.
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let a = abs(x)
        let t = Vector(repeating: 1) / (Vector(repeating: 1) + Vector(repeating: 0.3275911) * a)
        var p = Vector(repeating: 1.061405429)
        p = p * t + Vector(repeating: -1.453152027)
        p = p * t + Vector(repeating: 1.421413741)
        p = p * t + Vector(repeating: -0.284496736)
        p = p * t + Vector(repeating: 0.254829592)
        let y = Vector(repeating: 1) - p * t * exp(-(a * a))
        return y.replacing(with: -y, where: x .< Vector(repeating: 0))
    }

    @inline(__always)
    static func abs(_ x: Vector) -> Vector {
        x.replacing(with: -x, where: x .< Vector(repeating: 0))
    }

    /// Applies `body` to `count` floats eight at a time; the last partial group goes through a zero-padded copy,
    /// so every element sees the same vector arithmetic.
    @inline(__always)
    static func map(_ count: Int, _ body: (Int, Int) -> Void) {
        var i = 0
        while i + 8 <= count {
            body(i, 8)
            i += 8
        }
        if i < count { body(i, count - i) }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int, _ lanes: Int) -> Vector {
        if lanes == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: Vector.self) }
        var v = Vector()
        for lane in 0 ..< lanes { v[lane] = p[i + lane] }
        return v
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ lanes: Int) {
        if lanes == 8 {
            UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Vector.self)
            return
        }
        for lane in 0 ..< lanes { p[i + lane] = v[lane] }
    }
}
