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

/// `scaledDotProductAttention`, also returning the attention probabilities [B, H, Tq, Tk] (outside the graph; a
/// copy when the output records a gradient, so editing them cannot disturb backward).
public func scaledDotProductAttentionWithProbabilities(query: Tensor, key: Tensor, value: Tensor,
                                                       additiveMask: Tensor? = nil, isCausal: Bool = false,
                                                       scale: Float? = nil) throws -> (output: Tensor, probabilities: Tensor) {
    try attention(query: query, key: key, value: value, additiveMask: additiveMask, isCausal: isCausal, scale: scale,
                  op: "scaledDotProductAttentionWithProbabilities", keepProbabilities: true)
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

/// Pointers the per-head work of attention reads and writes; the heads touch disjoint parts.
private struct AttentionBuffers: @unchecked Sendable {
    let query, key, value: UnsafePointer<Float>
    let probabilities: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
}

private struct AttentionGradientBuffers: @unchecked Sendable {
    let query, key, value, probabilities, outputGradient: UnsafePointer<Float>
    let scoreGradient: UnsafeMutablePointer<Float>?
    let queryGradient, keyGradient, valueGradient: UnsafeMutablePointer<Float>?
}

private func attention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor?, isCausal: Bool,
                       scale: Float?, op: String, keepProbabilities: Bool) throws -> (output: Tensor, probabilities: Tensor) {
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

    let q = query.contiguousData(), k = key.contiguousData(), v = value.contiguousData()
    let mask = additiveMask.map { MaskReader(base: UnsafePointer($0.storage.pointer + $0.offset),
                                             strides: $0.broadcastStrides(to: scoreShape)) }
    let probabilities = Tensor.uninitialized(scoreShape)
    let output = Tensor.uninitialized([batch, heads, tq, dv])
    let buffers = AttentionBuffers(query: UnsafePointer(q.base), key: UnsafePointer(k.base),
                                   value: UnsafePointer(v.base), probabilities: probabilities.base, output: output.base)
    forEachBatch(batch * heads, work: tq * tk * (d + dv)) { slice, threads in
        let scores = buffers.probabilities + slice * tq * tk
        // scale·Q·Kᵀ, then the masks and a softmax per row, in place.
        matmulKernel(a: buffers.query + slice * tq * d, b: buffers.key + slice * tk * d, c: scores, m: tq, n: tk, k: d,
                     transposeA: false, transposeB: true, threads: threads)
        let b = slice / Swift.max(heads, 1), h = slice % Swift.max(heads, 1)
        for i in 0..<tq {
            let row = scores + i * tk
            for j in 0..<tk { row[j] *= s }
            if let mask {
                let m = mask.base + b * mask.strides[0] + h * mask.strides[1] + i * mask.strides[2]
                let step = mask.strides[3]
                for j in 0..<tk { row[j] += m[j * step] }
            }
            if isCausal && i + 1 < tk {
                for j in (i + 1)..<tk { row[j] = -.infinity }
            }
            softmaxRow(row, row, count: tk, stride: 1, zeroWhenAllMasked: true)
        }
        matmulKernel(a: scores, b: buffers.value + slice * tk * dv, c: buffers.output + slice * tq * dv,
                     m: tq, n: dv, k: tk, transposeA: false, transposeB: false, threads: threads)
    }
    withExtendedLifetime(additiveMask) {}

    let recording = Tensor.recording(query, key, value) || (additiveMask?.requiresGrad == true && Autograd.isGradEnabled)
    if recording {
        let maskShape = additiveMask?.shape
        let queryShape = query.shape, keyShape = key.shape, valueShape = value.shape
        output.record("ScaledDotProductAttentionBackward0", [query, key, value, additiveMask]) { node, g in
            let gc = g.contiguousData()
            let needsScores = node.needs(0) || node.needs(1) || node.needs(3)
            let gq = node.needs(0) ? Tensor.uninitialized(queryShape) : nil
            let gk = node.needs(1) ? Tensor.uninitialized(keyShape) : nil
            let gv = node.needs(2) ? Tensor.uninitialized(valueShape) : nil
            let gs = needsScores ? Tensor.uninitialized(scoreShape) : nil
            let grads = AttentionGradientBuffers(
                query: UnsafePointer(q.base), key: UnsafePointer(k.base), value: UnsafePointer(v.base),
                probabilities: UnsafePointer(probabilities.base), outputGradient: UnsafePointer(gc.base),
                scoreGradient: gs?.base, queryGradient: gq?.base, keyGradient: gk?.base, valueGradient: gv?.base)
            forEachBatch(batch * heads, work: tq * tk * (d + dv)) { slice, threads in
                let p = grads.probabilities + slice * tq * tk, dOut = grads.outputGradient + slice * tq * dv
                if let dv0 = grads.valueGradient {
                    // dV = Pᵀ·dO
                    matmulKernel(a: p, b: dOut, c: dv0 + slice * tk * dv, m: tk, n: dv, k: tq,
                                 transposeA: true, transposeB: false, threads: threads)
                }
                guard let scoreGradient = grads.scoreGradient else { return }
                // dP = dO·Vᵀ, then the softmax backward per row gives dS (the mask's gradient; the scores' is s·dS).
                let dS = scoreGradient + slice * tq * tk
                matmulKernel(a: dOut, b: grads.value + slice * tk * dv, c: dS, m: tq, n: tk, k: dv,
                             transposeA: false, transposeB: true, threads: threads)
                for i in 0..<tq {
                    softmaxRowGradient(dS + i * tk, p + i * tk, dS + i * tk, count: tk, stride: 1)
                }
                if let dq = grads.queryGradient {
                    // dQ = s·dS·K
                    let dst = dq + slice * tq * d
                    matmulKernel(a: dS, b: grads.key + slice * tk * d, c: dst, m: tq, n: d, k: tk,
                                 transposeA: false, transposeB: false, threads: threads)
                    for j in 0..<(tq * d) { dst[j] *= s }
                }
                if let dk = grads.keyGradient {
                    // dK = s·dSᵀ·Q
                    let dst = dk + slice * tk * d
                    matmulKernel(a: dS, b: grads.query + slice * tq * d, c: dst, m: tk, n: d, k: tq,
                                 transposeA: true, transposeB: false, threads: threads)
                    for j in 0..<(tk * d) { dst[j] *= s }
                }
            }
            let gMask = node.needs(3) ? gs.map { $0.sum(toShape: maskShape ?? scoreShape) } : nil
            return InputGradients([gq, gk, gv, gMask])
        }
    }
    let visible = keepProbabilities && recording ? probabilities.contiguousCopy() : probabilities
    return (output, visible)
}
