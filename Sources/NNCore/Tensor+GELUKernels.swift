import Dispatch

// GELU's forward and backward as eight-lane loops over contiguous memory (VectorMath's exp, tanh and erf).

extension Tensor {
    /// GELU's values and its backward, vectorised; same formulas as PyTorch's `gelu(approximate=)`.
    func vectorGELU(approximate: GELUApproximation) -> Tensor {
        let input = contiguousData()
        let out = Tensor.uninitialized(shape)
        let buffers = GELUBuffers(input: UnsafePointer(input.base), gradient: nil, output: out.base)
        forEachElementChunk(count) { first, n in
            GELUKernel.forward(buffers.input + first, buffers.output + first, count: n, approximate: approximate)
        }
        if Tensor.recording(self) {
            let x = input.detach()
            out.record("GeluBackward0", [self]) { _, g in
                geluGradient(g, input: x, approximate: approximate)
            }
        }
        return out
    }
}

/// gelu's backward for input `x` (contiguous) and upstream gradient `g`, split over the cores when large.
func geluGradient(_ g: Tensor, input x: Tensor, approximate: GELUApproximation) -> InputGradients {
    let gx = Tensor.uninitialized(x.shape)
    let gc = g.contiguousData()
    let buffers = GELUBuffers(input: UnsafePointer(x.base), gradient: UnsafePointer(gc.base), output: gx.base)
    forEachElementChunk(gx.count) { first, n in
        GELUKernel.backward(buffers.gradient! + first, buffers.input + first, buffers.output + first, count: n,
                            approximate: approximate)
    }
    withExtendedLifetime(gc) {}
    return [gx]
}

/// The pointers GELU's threads share; each writes its own elements.
private struct GELUBuffers: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let gradient: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>
}

/// Runs `body(first, count)` over `count` elements: at once when small, else in one chunk per core, each starting
/// at a multiple of 8 (so every element meets the same eight-lane arithmetic as in one sweep).
func forEachElementChunk(_ count: Int, _ body: @Sendable (_ first: Int, _ count: Int) -> Void) {
    let parts = count >= 1 << 15 ? PackedGemm.processorCount : 1
    if parts <= 1 {
        body(0, count)
        return
    }
    let groups = (count + 7) / 8
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let first = Swift.min(count, groups * part / parts * 8), last = Swift.min(count, groups * (part + 1) / parts * 8)
        if first < last { body(first, last - first) }
    }
}

/// The loops of `vectorGELU`.
enum GELUKernel {
    typealias Vector = SIMD8<Float>
    static let invSqrt2: Float = 0.70710678118654752
    static let invSqrt2Pi: Float = 0.39894228040143268
    /// √(2/π) and the cubic coefficient of the tanh approximation.
    static let k: Float = 0.79788456080286536
    static let c: Float = 0.044715

    /// y = ½x(1 + erf(x/√2)), or ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                        approximate: GELUApproximation) {
        VectorMath.map(count) { i, lanes in
            VectorMath.store(value(VectorMath.load(x, i, lanes), approximate: approximate), y, i, lanes)
        }
    }

    /// GELU of eight lanes, the one formula `forward` and the affine epilogue share.
    @inline(__always)
    static func value(_ v: Vector, approximate: GELUApproximation) -> Vector {
        let inner: Vector
        switch approximate {
        case .none: inner = VectorMath.erf(v * invSqrt2)
        case .tanh: inner = VectorMath.tanh(k * (v + c * v * v * v))
        }
        return Vector(repeating: 0.5) * v * (Vector(repeating: 1) + inner)
    }

    /// gx = g · GELU′(x).
    static func backward(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>,
                         count: Int, approximate: GELUApproximation) {
        let half = Vector(repeating: 0.5), one = Vector(repeating: 1)
        VectorMath.map(count) { i, lanes in
            let v = VectorMath.load(x, i, lanes), gv = VectorMath.load(g, i, lanes)
            let slope: Vector
            switch approximate {
            case .none:
                slope = half * (one + VectorMath.erf(v * invSqrt2)) + v * invSqrt2Pi * VectorMath.exp(-half * v * v)
            case .tanh:
                let t = VectorMath.tanh(k * (v + c * v * v * v))
                slope = half * (one + t) + half * v * (one - t * t) * k * (one + 3 * c * v * v)
            }
            VectorMath.store(gv * slope, gx, i, lanes)
        }
    }
}
