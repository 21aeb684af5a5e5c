import NNCore

/// The additive attention mask [B, 1, Tq, Tk] of a batch (NNCore's `additiveAttentionMask`: padding keys, and
/// later keys when `causal`), with Mistral's sliding window on top: a query also may not see keys
/// `slidingWindow` or more positions before it (transformers' `kv_idx > q_idx - sliding_window`).
func attentionBias(attentionMask: Tensor, queryLength: Int, causal: Bool, slidingWindow: Int? = nil) throws -> Tensor {
    let mask = try additiveAttentionMask(attentionMask: attentionMask, queryLength: queryLength, causal: causal)
    guard let slidingWindow else { return mask }
    let (batch, keys) = (attentionMask.shape[0], attentionMask.shape[1])
    var values = mask.toArray()
    let firstQuery = keys - queryLength
    for b in 0 ..< batch {
        for q in 0 ..< queryLength {
            for k in 0 ..< keys where firstQuery + q - k >= slidingWindow {
                values[(b * queryLength + q) * keys + k] = -Float.greatestFiniteMagnitude
            }
        }
    }
    return try Tensor(values, shape: mask.shape)
}
