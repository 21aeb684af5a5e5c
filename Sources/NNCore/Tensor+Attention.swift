import Dispatch

/// Scaled dot-product attention, softmax(scale·Q·Kᵀ + mask)·V, like `F.scaled_dot_product_attention`.
///
/// `query` is [B, H, Tq, D], `key` [B, H, Tk, D] and `value` [B, H, Tk, Dv]. `additiveMask` (broadcastable to
/// [B, H, Tq, Tk]) is added to the scaled scores: 0 where attention is allowed, a large negative number or −∞ where
/// it is not. A row masked with `-Float.greatestFiniteMagnitude` everywhere attends uniformly (as transformers'
/// eager attention does with `finfo.min` masks); a row that is −∞ everywhere gives zeros, as PyTorch's
/// `scaled_dot_product_attention` does. `isCausal` masks key j for query i when j > i (PyTorch's top-left
/// alignment). `scale` defaults to 1/√D. One node records the whole op; gradients flow to query, key, value and
/// the mask.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor? = nil,
                                      isCausal: Bool = false, scale: Float? = nil) throws -> Tensor {
    try attention(query: query, key: key, value: value, additiveMask: additiveMask, isCausal: isCausal, scale: scale,
                  op: "scaledDotProductAttention", keepProbabilities: false).output
}

/// `scaledDotProductAttention`, also returning the probabilities [B, H, Tq, Tk] when `keepingProbabilities`
/// (as `scaledDotProductAttentionWithProbabilities` does), else nil: then, without a gradient to record, they are
/// never materialised (each thread softmaxes one head's scores at a time in a scratch block). An attention module
/// asks for them only while an activation capture wants its attention map.
///
/// The heads are read in place from any layout whose head dimension is contiguous (the [B, T, H·D] projections
/// split by `reshape` + `permute`), and the output is a [B, H, Tq, Dv] view of [B, Tq, H, Dv] storage, so merging
/// the heads back (`permute` + `reshape`) copies nothing.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor? = nil,
                                      isCausal: Bool = false, scale: Float? = nil,
                                      keepingProbabilities: Bool) throws -> (output: Tensor, probabilities: Tensor?) {
    try attention(query: query, key: key, value: value, additiveMask: additiveMask, isCausal: isCausal, scale: scale,
                  op: "scaledDotProductAttention", keepProbabilities: keepingProbabilities)
}

/// `scaledDotProductAttention`, also returning the attention probabilities [B, H, Tq, Tk] (outside the graph; a
/// copy when the output records a gradient, so editing them cannot disturb backward).
public func scaledDotProductAttentionWithProbabilities(query: Tensor, key: Tensor, value: Tensor,
                                                       additiveMask: Tensor? = nil, isCausal: Bool = false,
                                                       scale: Float? = nil) throws -> (output: Tensor, probabilities: Tensor) {
    let result = try attention(query: query, key: key, value: value, additiveMask: additiveMask, isCausal: isCausal,
                               scale: scale, op: "scaledDotProductAttentionWithProbabilities", keepProbabilities: true)
    return (result.output, result.probabilities!)
}

/// The additive mask transformers builds for eager attention from `attentionMask` [B, Tk] of 0/1 (1 = a real
/// token): shape [B, 1, queryLength, Tk], 0 where allowed and `-Float.greatestFiniteMagnitude` (float32's
/// `finfo.min`) where masked. With `causal`, query i (at position Tk − queryLength + i, the last queryLength
/// positions) also may not see later keys. Outside the graph.
public func additiveAttentionMask(attentionMask: Tensor, queryLength: Int, causal: Bool) throws -> Tensor {
    let op = "additiveAttentionMask"
    guard attentionMask.rank == 2 else {
        throw TensorError(op, "attention mask must be [batch, keys], got \(shapeText(attentionMask.shape))")
    }
    let batch = attentionMask.shape[0], keys = attentionMask.shape[1]
    guard queryLength >= 0 else { throw TensorError(op, "query length \(queryLength) is negative") }
    guard !causal || queryLength <= keys else {
        throw TensorError(op, "causal mask with \(queryLength) queries but only \(keys) keys in \(shapeText(attentionMask.shape))")
    }
    _ = try checkedCount([batch, queryLength, keys], op: op)
    let allowed = attentionMask.contiguousData()
    for i in 0..<allowed.count where allowed.base[i] != 0 && allowed.base[i] != 1 {
        throw TensorError(op, "attention mask \(shapeText(attentionMask.shape)) holds \(allowed.base[i]) at flat index \(i); expected 0 or 1")
    }
    let masked = -Float.greatestFiniteMagnitude
    let past = keys - queryLength
    let out = Tensor.uninitialized([batch, 1, queryLength, keys])
    for b in 0..<batch {
        let row = allowed.base + b * keys
        for i in 0..<queryLength {
            let dst = out.base + (b * queryLength + i) * keys
            let visible = causal ? past + i + 1 : keys
            for j in 0..<keys { dst[j] = j < visible && row[j] != 0 ? 0 : masked }
        }
    }
    return out
}

/// The additive mask as the attention kernel reads it: a pointer and the mask's broadcast strides over
/// [B, H, Tq, Tk].
private struct MaskReader: @unchecked Sendable {
    // @unchecked: read-only pointer into a tensor kept alive by the op.
    let base: UnsafePointer<Float>
    let strides: [Int]
}

/// One [B, H, T, D] operand of attention read in place: head (b, h) is the matrix of T rows `rowStride` apart at
/// `base + b·batchStride + h·headStride`, its last dimension contiguous (the heads of a [B, T, H·D] projection,
/// split by `reshape` + `permute`, are such views: no copy per head).
private struct HeadOperand: @unchecked Sendable {
    // @unchecked: read-only pointer into `owner`, which the op keeps alive.
    let owner: Tensor
    let base: UnsafePointer<Float>
    let batchStride, headStride, rowStride: Int

    init(_ x: Tensor) {
        // A last dimension that is not contiguous (rare: a transposed view) is copied once.
        let t = x.shape[3] <= 1 || x.strides[3] == 1 ? x : x.contiguousCopy()
        owner = t
        base = UnsafePointer(t.base)
        batchStride = t.strides[0]
        headStride = t.strides[1]
        rowStride = t.strides[2]
    }

    @inline(__always)
    func head(_ b: Int, _ h: Int) -> UnsafePointer<Float> { base + (b &* batchStride &+ h &* headStride) }
}

/// Where the scores of each head go and the context is written; the heads touch disjoint parts.
private struct AttentionTargets: @unchecked Sendable {
    /// The probabilities [B, H, Tq, Tk] when they are kept (for backward or the caller), else nil: each thread
    /// then softmaxes into a scratch row block of its own.
    let probabilities: UnsafeMutablePointer<Float>?
    /// The context, stored [B, Tq, H, Dv] (the layout `mergeHeads` reads back as [B, Tq, H·Dv] without a copy).
    let output: UnsafeMutablePointer<Float>
}

/// What attention's backward writes per head; the heads touch disjoint parts.
private struct AttentionGradientBuffers: @unchecked Sendable {
    let probabilities: UnsafePointer<Float>
    /// The scores' gradient [B, H, Tq, Tk] when the mask needs it, else nil (a scratch block per thread).
    let scoreGradient: UnsafeMutablePointer<Float>?
    /// Stored [B, T, H, D].
    let queryGradient, keyGradient, valueGradient: UnsafeMutablePointer<Float>?
}

/// [B, T, H, D] storage seen as [B, H, T, D].
private func headsView(_ stored: Tensor) -> Tensor {
    let (batch, length, heads, d) = (stored.shape[0], stored.shape[1], stored.shape[2], stored.shape[3])
    return stored.rawView(shape: [batch, heads, length, d], strides: [length * heads * d, d, heads * d, 1], offset: 0)
}

/// Multiplies `rows` rows of `columns` floats, `rowStride` apart, by `factor`.
private func scaleRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int, by factor: Float) {
    for i in 0 ..< rows {
        let row = x + i * rowStride
        for j in 0 ..< columns { row[j] *= factor }
    }
}

/// Runs `body(slice, scratch, threads)` for each of `slices` heads whose products cost `work` = (m, n, k-sum)
/// multiply-adds: spread over the cores, one thread per head (softmax included), when there are several and
/// enough work; a lone head uses all cores in its products. `scratch` is `scratch` floats of the running thread's
/// own (at least one, so an empty head still gets a pointer), nil when `scratch` is nil.
private func forEachHead(_ slices: Int, work: (Int, Int, Int), scratch: Int?,
                         _ body: @Sendable (_ slice: Int, _ scratch: UnsafeMutablePointer<Float>?, _ threads: Int) -> Void) {
    let cores = PackedGemm.processorCount
    let perHead = work.0.multipliedReportingOverflow(by: work.1).partialValue.multipliedReportingOverflow(by: work.2)
    let total = perHead.partialValue.multipliedReportingOverflow(by: slices)
    let bigEnough = perHead.overflow || total.overflow || total.partialValue >= PackedGemm.parallelThreshold
    let parts = slices >= 2 && cores >= 2 && bigEnough ? Swift.min(cores, slices) : 1
    let threads = slices == 1 && bigEnough ? cores : 1
    @Sendable func runPart(_ part: Int) {
        let first = slices * part / parts, last = slices * (part + 1) / parts
        guard first < last else { return }
        let buffer = scratch.map { UnsafeMutablePointer<Float>.allocate(capacity: Swift.max($0, 1)) }
        defer { buffer?.deallocate() }
        for slice in first ..< last { body(slice, buffer, threads) }
    }
    if parts > 1 {
        DispatchQueue.concurrentPerform(iterations: parts) { runPart($0) }
    } else {
        runPart(0)
    }
}

/// C = A·B for strided operands (m×k by k×n), into rows `c.rowStride` apart: the packed product when it pays off,
/// else a plain loop (the tiny heads of tests and toy models).
private func headProduct(_ a: StridedMatrix, _ b: StridedMatrix, _ c: OutputMatrix, m: Int, n: Int, k: Int,
                         threads: Int) {
    if m == 0 || n == 0 { return }
    if k > 0 && usesPackedProduct(m: m, n: n, k: k) {
        PackedGemm.multiply(a: a, b: b, c: c, m: m, n: n, k: k, threads: threads)
        return
    }
    for i in 0 ..< m {
        let row = c.base + i &* c.rowStride
        for j in 0 ..< n {
            var total: Float = 0
            for p in 0 ..< k {
                total += a.base[i &* a.rowStride &+ p &* a.columnStride] * b.base[p &* b.rowStride &+ j &* b.columnStride]
            }
            row[j] = total
        }
    }
}

private func attention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor?, isCausal: Bool,
                       scale: Float?, op: String, keepProbabilities: Bool) throws -> (output: Tensor, probabilities: Tensor?) {
    func shapes() -> String { "query \(shapeText(query.shape)), key \(shapeText(key.shape)), value \(shapeText(value.shape))" }
    guard query.rank == 4, key.rank == 4, value.rank == 4 else {
        throw TensorError(op, "\(shapes()): expected 4-d [batch, heads, length, head dim] tensors")
    }
    let batch = query.shape[0], heads = query.shape[1], tq = query.shape[2], d = query.shape[3]
    let tk = key.shape[2], dv = value.shape[3]
    guard key.shape[0] == batch, key.shape[1] == heads, value.shape[0] == batch, value.shape[1] == heads else {
        throw TensorError(op, "\(shapes()): batch and head counts differ (repeat key/value heads first for grouped-query attention)")
    }
    guard key.shape[3] == d else { throw TensorError(op, "\(shapes()): query and key head dims \(d) and \(key.shape[3]) differ") }
    guard value.shape[2] == tk else {
        throw TensorError(op, "\(shapes()): key and value lengths \(tk) and \(value.shape[2]) differ")
    }
    let scoreShape = [batch, heads, tq, tk]
    if let additiveMask {
        guard additiveMask.dtype != .bool else {
            throw TensorError(op, "mask \(shapeText(additiveMask.shape)) is boolean; pass an additive float mask (0 where allowed, a large negative value where masked)")
        }
        guard additiveMask.rank <= 4,
              (try? broadcastShape(additiveMask.shape, scoreShape, op: op)) == scoreShape else {
            throw TensorError(op, "mask \(shapeText(additiveMask.shape)) does not broadcast to the scores \(shapeText(scoreShape)) of \(shapes())")
        }
    }
    if let scale, !scale.isFinite { throw TensorError(op, "scale \(scale) is not finite") }
    let s = scale ?? (d > 0 ? 1 / Float(d).squareRoot() : 1)

    let recording = Tensor.recording(query, key, value) || (additiveMask?.requiresGrad == true && Autograd.isGradEnabled)
    let q = HeadOperand(query), k = HeadOperand(key), v = HeadOperand(value)
    let mask = additiveMask.map { MaskReader(base: UnsafePointer($0.storage.pointer + $0.offset),
                                             strides: $0.broadcastStrides(to: scoreShape)) }
    // Probabilities are materialised only when backward or the caller needs them.
    let probabilities = recording || keepProbabilities ? Tensor.uninitialized(scoreShape) : nil
    let stored = Tensor.uninitialized([batch, tq, heads, dv])
    let targets = AttentionTargets(probabilities: probabilities?.base, output: stored.base)
    let slices = batch * heads, headCount = Swift.max(heads, 1)
    forEachHead(slices, work: (tq, tk, d + dv), scratch: targets.probabilities == nil ? tq * tk : nil) { slice, scratch, threads in
        let b = slice / headCount, h = slice % headCount
        let scores = targets.probabilities.map { $0 + slice * tq * tk } ?? scratch!
        // Q·Kᵀ read in place: Kᵀ's (p, j) is K's row j, column p.
        headProduct(StridedMatrix(base: q.head(b, h), rowStride: q.rowStride, columnStride: 1),
                    StridedMatrix(base: k.head(b, h), rowStride: 1, columnStride: k.rowStride),
                    OutputMatrix(base: scores, rowStride: tk), m: tq, n: tk, k: d, threads: threads)
        for i in 0 ..< tq {
            let maskRow = mask.map { ($0.base + b * $0.strides[0] + h * $0.strides[1] + i * $0.strides[2], $0.strides[3]) }
            attentionSoftmaxRow(scores + i * tk, count: tk, scale: s, mask: maskRow?.0, maskStride: maskRow?.1 ?? 0,
                                visible: isCausal ? Swift.min(i + 1, tk) : tk)
        }
        // P·V, written straight into the [B, Tq, H, Dv] layout.
        headProduct(StridedMatrix(base: UnsafePointer(scores), rowStride: tk, columnStride: 1),
                    StridedMatrix(base: v.head(b, h), rowStride: v.rowStride, columnStride: 1),
                    OutputMatrix(base: targets.output + (b * tq * heads + h) * dv, rowStride: heads * dv),
                    m: tq, n: dv, k: tk, threads: threads)
    }
    withExtendedLifetime((additiveMask, q, k, v)) {}
    let output = headsView(stored)

    if recording, let probabilities {
        let maskShape = additiveMask?.shape
        let savedQuery = query.detach(), savedKey = key.detach(), savedValue = value.detach()
        output.record("ScaledDotProductAttentionBackward0", [query, key, value, additiveMask]) { node, g in
            // The heads are read in place again, the upstream gradient too (the [B, T, H·D] gradient of the merged
            // heads, seen as [B, H, T, D]), and the gradients are written in [B, T, H, D] storage, so splitting the
            // heads' backward copies nothing either.
            let q = HeadOperand(savedQuery), k = HeadOperand(savedKey), v = HeadOperand(savedValue)
            let upstream = HeadOperand(g)
            let needsScores = node.needs(0) || node.needs(1) || node.needs(3)
            let gq = node.needs(0) ? Tensor.uninitialized([batch, tq, heads, d]) : nil
            let gk = node.needs(1) ? Tensor.uninitialized([batch, tk, heads, d]) : nil
            let gv = node.needs(2) ? Tensor.uninitialized([batch, tk, heads, dv]) : nil
            let gs = node.needs(3) ? Tensor.uninitialized(scoreShape) : nil
            let grads = AttentionGradientBuffers(
                probabilities: UnsafePointer(probabilities.base), scoreGradient: gs?.base,
                queryGradient: gq?.base, keyGradient: gk?.base, valueGradient: gv?.base)
            let headCount = Swift.max(heads, 1)
            forEachHead(batch * heads, work: (tq, tk, 2 * d + 2 * dv),
                        scratch: needsScores && grads.scoreGradient == nil ? tq * tk : nil) { slice, scratch, threads in
                let b = slice / headCount, h = slice % headCount
                let p = grads.probabilities + slice * tq * tk
                let dOut = StridedMatrix(base: upstream.head(b, h), rowStride: upstream.rowStride, columnStride: 1)
                if let gv = grads.valueGradient {
                    // dV = Pᵀ·dO
                    headProduct(StridedMatrix(base: p, rowStride: 1, columnStride: tk), dOut,
                                OutputMatrix(base: gv + (b * tk * heads + h) * dv, rowStride: heads * dv),
                                m: tk, n: dv, k: tq, threads: threads)
                }
                guard needsScores else { return }
                // dP = dO·Vᵀ, then the softmax backward per row gives dS (the mask's gradient; the scores' is s·dS).
                let dS = grads.scoreGradient.map { $0 + slice * tq * tk } ?? scratch!
                headProduct(dOut, StridedMatrix(base: v.head(b, h), rowStride: 1, columnStride: v.rowStride),
                            OutputMatrix(base: dS, rowStride: tk), m: tq, n: tk, k: dv, threads: threads)
                for i in 0 ..< tq {
                    softmaxRowGradient(dS + i * tk, p + i * tk, dS + i * tk, count: tk, stride: 1)
                }
                if let gq = grads.queryGradient {
                    // dQ = s·dS·K
                    let dst = gq + (b * tq * heads + h) * d
                    headProduct(StridedMatrix(base: UnsafePointer(dS), rowStride: tk, columnStride: 1),
                                StridedMatrix(base: k.head(b, h), rowStride: k.rowStride, columnStride: 1),
                                OutputMatrix(base: dst, rowStride: heads * d), m: tq, n: d, k: tk, threads: threads)
                    scaleRows(dst, rows: tq, columns: d, rowStride: heads * d, by: s)
                }
                if let gk = grads.keyGradient {
                    // dK = s·dSᵀ·Q
                    let dst = gk + (b * tk * heads + h) * d
                    headProduct(StridedMatrix(base: UnsafePointer(dS), rowStride: 1, columnStride: tk),
                                StridedMatrix(base: q.head(b, h), rowStride: q.rowStride, columnStride: 1),
                                OutputMatrix(base: dst, rowStride: heads * d), m: tk, n: d, k: tq, threads: threads)
                    scaleRows(dst, rows: tk, columns: d, rowStride: heads * d, by: s)
                }
            }
            withExtendedLifetime((q, k, v, upstream)) {}
            let gMask = node.needs(3) ? gs.map { $0.sum(toShape: maskShape ?? scoreShape) } : nil
            return InputGradients([gq.map(headsView), gk.map(headsView), gv.map(headsView), gMask])
        }
    }
    guard keepProbabilities else { return (output, nil) }
    return (output, recording ? probabilities?.contiguousCopy() : probabilities)
}

/// One row of attention scores turned into probabilities in place: scale·x + mask (every `maskStride`-th float
/// from `mask`) for the first `visible` keys, −∞ (a causal mask) for the rest, then a stable softmax; the scale,
/// mask and maximum are one sweep. A row that is −∞ everywhere gives zeros (PyTorch's attention).
@inline(__always)
func attentionSoftmaxRow(_ row: UnsafeMutablePointer<Float>, count: Int, scale: Float, mask: UnsafePointer<Float>?,
                         maskStride: Int, visible: Int) {
    typealias Vector = VectorMath.Vector
    let scaleV = Vector(repeating: scale)
    var lanesMax = Vector(repeating: -.infinity)
    var j = 0
    if let mask, maskStride == 1 {
        while j + 8 <= visible {
            let x = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self) * scaleV
                + UnsafeRawPointer(mask + j).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(row + j).storeBytes(of: x, as: Vector.self)
            lanesMax.replace(with: x, where: x .> lanesMax)
            j += 8
        }
    } else if mask == nil {
        while j + 8 <= visible {
            let x = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self) * scaleV
            UnsafeMutableRawPointer(row + j).storeBytes(of: x, as: Vector.self)
            lanesMax.replace(with: x, where: x .> lanesMax)
            j += 8
        }
    }
    var m = laneMaximum(lanesMax)
    while j < visible {
        var x = row[j] * scale
        if let mask { x += mask[j * maskStride] }
        row[j] = x
        m = Swift.max(m, x)
        j += 1
    }
    for rest in visible ..< Swift.max(visible, count) { row[rest] = -.infinity }
    softmaxExponentials(UnsafePointer(row), row, count: count, maximum: m, zeroWhenAllMasked: true)
}
