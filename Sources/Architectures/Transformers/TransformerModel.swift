import NNCore
import NNModules

/// What a transformer returns: the last hidden states [B, T, H] (BERT: the encoder's output; decoders: the LM
/// head's input, after the final norm) and, for models with a language-model head, the logits [B, T, vocab].
public struct TransformerOutput {
    /// [B, T, hidden].
    public let lastHiddenState: Tensor
    /// [B, T, vocab]; nil for models without a head (BertModel, GPT2Model, LlamaModel).
    public let logits: Tensor?
}

/// A transformers model built by nnview: a module tree with transformers' names and class names, called with
/// token ids and an attention mask.
///
/// `forward(_:)` (what `try model(x)` runs) treats `x` as input ids [B, T] with no padding and returns the logits
/// (or the hidden states of a model without a head), so the single-tensor tools (`step`, summaries) work too.
public protocol TransformerModel: Module {
    /// The configuration the model was built from.
    var config: TransformerConfig { get }

    /// One forward pass: `inputIDs` [B, T] (integral floats), `attentionMask` [B, T] (1 = token, 0 = padding;
    /// nil = all tokens). The call is recorded as a call of the root module, and every op is attributed to the
    /// module that ran it.
    func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput
}

/// A transformer whose embeddings take token type ids (`token_type_ids`: BERT's segment A = 0, B = 1), so it can
/// read a pair of texts the way its tokenizer's pair template marks them.
public protocol TokenTypeTakingModel: TransformerModel {
    /// One forward pass as `callAsFunction(inputIDs:attentionMask:)`, with `tokenTypeIDs` [B, T] (integral floats
    /// below `config.typeVocabSize`; nil = all 0).
    func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?, tokenTypeIDs: Tensor?) throws -> TransformerOutput
}

extension TransformerModel {
    /// Checks token type ids [B, T] against the input's shape and the model's type vocabulary, before any work.
    func checkTokenTypes(_ tokenTypeIDs: Tensor?, _ inputIDs: Tensor) throws {
        guard let tokenTypeIDs else { return }
        if tokenTypeIDs.shape != inputIDs.shape {
            throw ModuleError(.shapeMismatch, "\(typeName): token type ids \(tokenTypeIDs.shape) differ from input ids \(inputIDs.shape)")
        }
        for id in tokenTypeIDs.toArray() where !(id >= 0 && id < Float(config.typeVocabSize) && id == id.rounded()) {
            throw ModuleError(.invalidArgument, "\(typeName): token type id \(id) is outside 0..<\(config.typeVocabSize) (type_vocab_size)")
        }
    }

    /// Checks ids [B, T] against the vocabulary and the mask's shape, before any work.
    func checkInputs(_ inputIDs: Tensor, _ attentionMask: Tensor?, maxPositions: Int?) throws {
        guard inputIDs.rank == 2, inputIDs.shape[1] > 0 else {
            throw ModuleError(.shapeMismatch, "\(typeName): input ids must be [batch, tokens], got \(inputIDs.shape)")
        }
        if let attentionMask, attentionMask.shape != inputIDs.shape {
            throw ModuleError(.shapeMismatch, "\(typeName): attention mask \(attentionMask.shape) differs from input ids \(inputIDs.shape)")
        }
        if let maxPositions, inputIDs.shape[1] > maxPositions {
            throw ModuleError(.shapeMismatch, "\(typeName): \(inputIDs.shape[1]) tokens are more than the \(maxPositions) positions the model has")
        }
        for id in inputIDs.toArray() where !(id >= 0 && id < Float(config.vocabSize) && id == id.rounded()) {
            throw ModuleError(.invalidArgument, "\(typeName): token id \(id) is outside the vocabulary (0..<\(config.vocabSize))")
        }
    }
}

/// [B, T, heads·D] → [B, heads, T, D].
func splitHeads(_ x: Tensor, heads: Int) throws -> Tensor {
    let (b, t, width) = (x.shape[0], x.shape[1], x.shape[2])
    return try x.reshape([b, t, heads, width / heads]).permute([0, 2, 1, 3])
}

/// [B, heads, T, D] → [B, T, heads·D].
func mergeHeads(_ x: Tensor) throws -> Tensor {
    let (b, heads, t, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return try x.permute([0, 2, 1, 3]).reshape([b, t, heads * d])
}

/// Positions 0..<T as a [1, T] tensor of integral floats.
func positionIDs(_ count: Int) throws -> Tensor {
    try Tensor((0 ..< count).map(Float.init), shape: [1, count])
}

/// Records the first tensor of a structured output in the forward trace.
func hiddenStateOf(_ output: TransformerOutput) -> Tensor? { output.lastHiddenState }
