import Foundation
import NNCore

// The transformer ops built from NNCore's existing differentiable ops (matmul, softmax, sqrt, cat, slices, …), so
// their backward comes from those ops' rules. NNCore is getting fused versions with their own backward
// (`scaledDotProductAttention`, `rmsNorm`, `applyRotaryEmbedding`, …); each function here is named after the op it
// stands in for, prefixed `composed`, so replacing them is mechanical. Semantics follow PyTorch/transformers.

/// transformers' additive attention mask [B, 1, Tq, Tk]: 0 where a query may attend a key, the most negative
/// float where it may not (a padding key, `attentionMask` 0, or a later key when `causal`, or with a
/// `slidingWindow` a key that many positions or more before the query). Queries are the last `queryLength`
/// positions of the keys. A constant: it records no graph.
func composedAdditiveAttentionMask(attentionMask: Tensor, queryLength: Int, causal: Bool,
                                   slidingWindow: Int? = nil) throws -> Tensor {
    guard attentionMask.rank == 2 else {
        throw TensorError("additiveAttentionMask", "attention mask must be [batch, keys], got \(attentionMask.shape)")
    }
    let batch = attentionMask.shape[0], keys = attentionMask.shape[1]
    let mask = attentionMask.toArray()
    let blocked = -Float.greatestFiniteMagnitude
    var values = [Float](repeating: 0, count: batch * queryLength * keys)
    let firstQuery = keys - queryLength
    for b in 0 ..< batch {
        for q in 0 ..< queryLength {
            let position = firstQuery + q
            for k in 0 ..< keys where mask[b * keys + k] == 0 || (causal && k > position)
                || (slidingWindow.map { position - k >= $0 } ?? false) {
                values[(b * queryLength + q) * keys + k] = blocked
            }
        }
    }
    return try Tensor(values, shape: [batch, 1, queryLength, keys])
}

/// softmax(q·kᵀ · scale + mask)·v over [B, H, T, D] tensors, also returning the probabilities [B, H, Tq, Tk]
/// (`scaledDotProductAttentionWithProbabilities`). `scale` defaults to 1/√D.
func composedScaledDotProductAttentionWithProbabilities(query: Tensor, key: Tensor, value: Tensor,
                                                        additiveMask: Tensor?, scale: Float? = nil)
    throws -> (output: Tensor, probabilities: Tensor) {
    let depth = query.shape.last ?? 1
    var scores = try query.matmul(key.transpose(-2, -1)) * (scale ?? 1 / Float(depth).squareRoot())
    if let additiveMask { scores = try scores + additiveMask }
    let probabilities = try scores.softmax(dim: -1)
    return (try probabilities.matmul(value), probabilities)
}

/// RMSNorm as transformers' LlamaRMSNorm: x / √(mean(x²) + eps) · weight over the last dimension.
func composedRMSNorm(_ x: Tensor, weight: Tensor, eps: Float) throws -> Tensor {
    let meanSquare = try x.square().mean(dim: -1, keepdim: true)
    return try (x / (meanSquare + eps).sqrt()) * weight
}

/// cos and sin tables [T, D] of rotary embeddings at `positions` (transformers' default rope: frequencies
/// θ^(−2i/D) for i < D/2, repeated for both halves). Constants, computed in Double.
func composedRotaryEmbeddingTables(positions: [Int], headDimension: Int, theta: Double) throws -> (cos: Tensor, sin: Tensor) {
    let half = headDimension / 2
    var cosValues = [Float](repeating: 0, count: positions.count * headDimension)
    var sinValues = cosValues
    for (row, position) in positions.enumerated() {
        for i in 0 ..< half {
            // transformers rounds the inverse frequency to float32 before multiplying by the position.
            let inverseFrequency = Double(Float(1 / pow(theta, Double(2 * i) / Double(headDimension))))
            let angle = Double(Float(Double(position) * inverseFrequency))
            for column in [i, i + half] {
                cosValues[row * headDimension + column] = Float(cos(angle))
                sinValues[row * headDimension + column] = Float(sin(angle))
            }
        }
    }
    return (try Tensor(cosValues, shape: [positions.count, headDimension]),
            try Tensor(sinValues, shape: [positions.count, headDimension]))
}

/// x·cos + rotate_half(x)·sin for x [B, H, T, D] and tables [T, D] (transformers' `apply_rotary_pos_emb`, where
/// rotate_half(x) = cat(−x₂, x₁) over the two halves of the last dimension).
func composedApplyRotaryEmbedding(_ x: Tensor, cos: Tensor, sin: Tensor) throws -> Tensor {
    let depth = x.shape[x.rank - 1], half = depth / 2
    let first = try x.slice(dim: -1, start: 0, end: half)
    let second = try x.slice(dim: -1, start: half, end: depth)
    let rotated = try Tensor.cat([second.neg(), first], dim: -1)
    return try (x * cos) + (rotated * sin)
}

/// [B, Hkv, T, D] → [B, Hkv·times, T, D], each key/value head repeated `times` times in place (grouped-query
/// attention; transformers' `repeat_kv`).
func composedRepeatKeyValueHeads(_ x: Tensor, times: Int) throws -> Tensor {
    guard times > 1 else { return x }
    let (b, h, t, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return try x.unsqueeze(2).expand(to: [b, h, times, t, d]).reshape([b, h * times, t, d])
}

/// GPT-2's Conv1D: x·W + b with the weight stored [in, out].
func composedConv1D(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    try linear(x, weight: weight.t(), bias: bias)
}

/// The mean of `hidden` [B, T, H] over the positions whose `attentionMask` [B, T] is 1 (sentence-transformers'
/// mean pooling: the mask count clamped to at least 1e-9).
func composedMaskedMeanPool(_ hidden: Tensor, attentionMask: Tensor) throws -> Tensor {
    let mask = try attentionMask.unsqueeze(-1)
    let summed = try (hidden * mask).sum(dim: 1)
    let counts = try mask.sum(dim: 1).clamp(min: 1e-9)
    return try summed / counts
}

/// x / max(‖x‖₂, eps) along `dim` (`F.normalize`).
func composedL2Normalized(_ x: Tensor, dim: Int, eps: Float = 1e-12) throws -> Tensor {
    let norm = try x.square().sum(dim: dim, keepdim: true).sqrt().clamp(min: eps)
    return try x / norm
}

/// x·sigmoid(x) (`F.silu`).
func composedSiLU(_ x: Tensor) throws -> Tensor {
    try x * x.sigmoid()
}
