/// sentence-transformers' mean pooling: the average of `hidden` [B, T, H] over the tokens where `attentionMask`
/// [B, T] is 1, Σₜ hidden·mask / max(Σₜ mask, 1e-9), giving [B, H]. Gradients flow to both (the mask's is that of
/// a float weight per token).
public func maskedMeanPool(_ hidden: Tensor, attentionMask: Tensor) throws -> Tensor {
    let op = "maskedMeanPool"
    guard hidden.rank == 3 else {
        throw TensorError(op, "hidden states must be [batch, tokens, width], got \(shapeText(hidden.shape))")
    }
    let batch = hidden.shape[0], tokens = hidden.shape[1], width = hidden.shape[2]
    guard attentionMask.shape == [batch, tokens] else {
        throw TensorError(op, "attention mask \(shapeText(attentionMask.shape)) does not match hidden states \(shapeText(hidden.shape)) (expected [\(batch), \(tokens)])")
    }
    let minimumCount: Float = 1e-9
    let h = hidden.contiguousData(), m = attentionMask.contiguousData()
    let out = Tensor.zeros([batch, width])
    var counts = [Float](repeating: 0, count: batch)
    for b in 0..<batch {
        let dst = out.base + b * width
        var count: Float = 0
        for t in 0..<tokens {
            let weight = m.base[b * tokens + t]
            count += weight
            if weight != 0 { axpy(weight, h.base + (b * tokens + t) * width, dst, width) }
        }
        counts[b] = count
        let inverse = 1 / Swift.max(count, minimumCount)
        for j in 0..<width { dst[j] *= inverse }
    }
    if Tensor.recording(hidden, attentionMask) {
        let pooled = out.detach()
        out.record("MaskedMeanPoolBackward0", [hidden, attentionMask]) { node, g in
            let gc = g.contiguousData()
            var gh: Tensor?, gm: Tensor?
            if node.needs(0) {
                // d hidden[b, t] = g[b]·mask[b, t] / count[b]
                let t = Tensor.zeros([batch, tokens, width])
                for b in 0..<batch {
                    let inverse = 1 / Swift.max(counts[b], minimumCount)
                    for token in 0..<tokens {
                        let weight = m.base[b * tokens + token] * inverse
                        if weight != 0 { axpy(weight, gc.base + b * width, t.base + (b * tokens + token) * width, width) }
                    }
                }
                gh = t
            }
            if node.needs(1) {
                // d mask[b, t] = g[b]·(hidden[b, t] − pooled[b]) / count[b]; the clamped count passes no gradient.
                let t = Tensor.uninitialized([batch, tokens])
                for b in 0..<batch {
                    let clamped = counts[b] < minimumCount
                    let inverse = 1 / Swift.max(counts[b], minimumCount)
                    let gp = gc.base + b * width
                    let pooledDot = dot(gp, pooled.base + b * width, width)
                    for token in 0..<tokens {
                        let tokenDot = dot(gp, h.base + (b * tokens + token) * width, width)
                        t.base[b * tokens + token] = (tokenDot - (clamped ? 0 : pooledDot)) * inverse
                    }
                }
                gm = t
            }
            return [gh, gm]
        }
    }
    return out
}
