extension Tensor {
    /// softmax along `dim`, computed stably (subtracting the maximum). Rows whose entries are all −∞ give NaN, as
    /// `torch.softmax` does; finite large negative entries (`-Float.greatestFiniteMagnitude`) behave as tiny weights.
    public func softmax(dim: Int) throws -> Tensor {
        try softmaxFamily(dim: dim, log: false)
    }

    /// log(softmax) along `dim`, computed stably as x − max − log Σ exp(x − max).
    public func logSoftmax(dim: Int) throws -> Tensor {
        try softmaxFamily(dim: dim, log: true)
    }

    private func softmaxFamily(dim: Int, log: Bool) throws -> Tensor {
        let op = log ? "logSoftmax" : "softmax"
        let d = try resolveDim(dim, rank: rank, op: op)
        let l = ReductionLayout(shape: shape, dim: d)
        let x = contiguousData()
        let out = Tensor.uninitialized(shape)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                let start = o * l.size * l.inner + i
                if log {
                    logSoftmaxRow(x.base + start, out.base + start, count: l.size, stride: l.inner)
                } else {
                    softmaxRow(x.base + start, out.base + start, count: l.size, stride: l.inner)
                }
            }
        }
        if Tensor.recording(self) {
            let y = out.detach()
            out.record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", [self]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.uninitialized(y.shape)
                for o in 0..<l.outer {
                    for i in 0..<l.inner {
                        let start = o * l.size * l.inner + i
                        if log {
                            logSoftmaxRowGradient(gc.base + start, y.base + start, gx.base + start,
                                                  count: l.size, stride: l.inner)
                        } else {
                            softmaxRowGradient(gc.base + start, y.base + start, gx.base + start,
                                               count: l.size, stride: l.inner)
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}

/// Writes softmax of the `count` values at `x` (every `stride`-th float) to `y` (same layout; may be `x`):
/// one sweep for the maximum, one for eˣ⁻ᵐᵃˣ and its sum, one to scale. `zeroWhenAllMasked`: a row whose entries
/// are all −∞ gives zeros (as PyTorch's attention does) instead of NaN (as `torch.softmax` does).
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, stride: Int,
                zeroWhenAllMasked: Bool = false) {
    if stride == 1 {
        contiguousSoftmaxRow(x, y, count: count, zeroWhenAllMasked: zeroWhenAllMasked)
        return
    }
    var m = -Float.infinity
    for j in 0..<count { m = Swift.max(m, x[j * stride]) }
    if m == -.infinity {
        if zeroWhenAllMasked {
            for j in 0..<count { y[j * stride] = 0 }
            return
        }
        m = 0
    }
    var total = 0.0
    for j in 0..<count {
        let e = _exp(x[j * stride] - m)
        y[j * stride] = e
        total += Double(e)
    }
    let inverse = Float(1 / total)
    for j in 0..<count { y[j * stride] *= inverse }
}

/// `softmaxRow` for a contiguous row, eight lanes at a time: eˣ⁻ᵐᵃˣ through `VectorMath.exp` instead of a libm
/// call per element, summed in double lanes (the scalar loop's serial double sum and `expf` calls were two thirds of
/// BERT's attention time). Entries more than 87.3 below the maximum (−∞ masks among them) give exactly 0.
@inline(__always)
func contiguousSoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                          zeroWhenAllMasked: Bool) {
    typealias Vector = VectorMath.Vector
    var lanesMax = Vector(repeating: -.infinity)
    var j = 0
    while j + 8 <= count {
        // A compare and select, not `pointwiseMax`, which the standard library leaves out of line.
        let v = UnsafeRawPointer(x + j).loadUnaligned(as: Vector.self)
        lanesMax.replace(with: v, where: v .> lanesMax)
        j += 8
    }
    var m = laneMaximum(lanesMax)
    while j < count {
        m = Swift.max(m, x[j])
        j += 1
    }
    softmaxExponentials(x, y, count: count, maximum: m, zeroWhenAllMasked: zeroWhenAllMasked)
}

/// The largest of eight lanes that hold no NaN, as scalar comparisons: `SIMD.max()` is generic and stayed out of
/// line.
@inline(__always)
func laneMaximum(_ v: SIMD8<Float>) -> Float {
    Swift.max(Swift.max(Swift.max(v[0], v[1]), Swift.max(v[2], v[3])), Swift.max(Swift.max(v[4], v[5]), Swift.max(v[6], v[7])))
}

/// The rest of `contiguousSoftmaxRow` once the row's maximum `maximum` is known (attention finds it while it
/// scales and masks the scores): eˣ⁻ᵐᵃˣ, their sum, and the division.
@inline(__always)
func softmaxExponentials(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, maximum: Float,
                         zeroWhenAllMasked: Bool) {
    typealias Vector = VectorMath.Vector
    var m = maximum
    if m == -.infinity {
        if zeroWhenAllMasked {
            for j in 0..<count { y[j] = 0 }
            return
        }
        m = 0
    }
    let shift = Vector(repeating: m), floor = Vector(repeating: -87.3)
    // Summed in float lanes, the lanes added in Double at the end: `SIMD8<Double>(e)` per group was a generic
    // conversion the compiler left out of line (and each lane adds only count/8 terms, all in [0, 1]).
    var lanesTotal = Vector()
    VectorMath.map(count) { i, lanes in
        let d = VectorMath.load(x, i, lanes) - shift
        var e = VectorMath.exp(d).replacing(with: 0, where: d .< floor)
        if lanes < 8 {
            for lane in lanes..<8 { e[lane] = 0 }
        }
        lanesTotal += e
        VectorMath.store(e, y, i, lanes)
    }
    let inverse = Float(1 / LayerNormKernel.total(lanesTotal))
    for j in 0..<count { y[j] *= inverse }
}

/// Writes log-softmax of the `count` values at `x` (every `stride`-th float) to `y`: x − max − log Σ eˣ⁻ᵐᵃˣ.
@inline(__always)
func logSoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
    var m = -Float.infinity
    for j in 0..<count { m = Swift.max(m, x[j * stride]) }
    if m == -.infinity { m = 0 }
    var total = 0.0
    for j in 0..<count { total += Double(_exp(x[j * stride] - m)) }
    let lse = m + Float(_log(total))
    for j in 0..<count { y[j * stride] = x[j * stride] - lse }
}

/// softmax's backward for one row: dx = y·(g − Σ g·y).
@inline(__always)
func softmaxRowGradient(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                        count: Int, stride: Int) {
    var s: Float = 0
    if stride == 1 {
        for j in 0..<count { s += g[j] * y[j] }
        for j in 0..<count { dx[j] = y[j] * (g[j] - s) }
    } else {
        for j in 0..<count { s += g[j * stride] * y[j * stride] }
        for j in 0..<count { dx[j * stride] = y[j * stride] * (g[j * stride] - s) }
    }
}

/// log-softmax's backward for one row: dx = g − softmax·Σg, with softmax = eʸ.
@inline(__always)
func logSoftmaxRowGradient(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                           count: Int, stride: Int) {
    var s: Float = 0
    for j in 0..<count { s += g[j * stride] }
    for j in 0..<count { dx[j * stride] = g[j * stride] - _exp(y[j * stride]) * s }
}
