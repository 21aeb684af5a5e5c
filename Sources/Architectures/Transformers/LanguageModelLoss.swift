import NNCore

/// transformers' label value for "no loss here".
public let ignoredLabel = -100

/// transformers' language-model loss: cross-entropy of `logits` [B, T, V] against `labels` [B, T] (integral
/// floats, -100 ignored), the mean over the labels not ignored. `causal` shifts inside, as `GPT2LMHeadModel` and
/// `LlamaForCausalLM` do (position t predicts label t+1); a masked LM compares each position with its own label.
public func languageModelLoss(logits: Tensor, labels: Tensor, causal: Bool) throws -> Tensor {
    guard logits.rank == 3, labels.shape == Array(logits.shape.prefix(2)) else {
        throw TensorError("languageModelLoss", "labels \(labels.shape) must be [batch, tokens] of logits \(logits.shape)")
    }
    let (b, t, v) = (logits.shape[0], logits.shape[1], logits.shape[2])
    var predicted = logits, targets = labels
    if causal {
        guard t > 1 else { throw TensorError("languageModelLoss", "a causal LM needs at least 2 tokens for a loss") }
        predicted = try logits.slice(dim: 1, start: 0, end: t - 1)
        targets = try labels.slice(dim: 1, start: 1, end: t)
    }
    let rows = b * (causal ? t - 1 : t)
    return try crossEntropy(logits: predicted.reshape([rows, v]), targets: targets.reshape([rows]),
                            ignoreIndex: ignoredLabel)
}
