import Architectures
import Foundation
import ModelFiles
import NNCore
import Tokenizers

extension RunBatch {
    /// The texts encoded by the model's tokenizer (the folder's tokenizer files, or a GGUF file's
    /// `tokenizer.ggml.*` arrays) and padded on the right, as transformers' `tokenizer(texts, padding=True)`.
    /// With `pairs` (one per text) each text is encoded with its pair, as `tokenizer(texts, pairs, padding=True)`.
    static func fromTexts(_ texts: [String], pairs: [String] = [], loaded: LoadedTransformer) throws -> RunBatch {
        let tokenizer = try loaded.tokenizer()
        let encoded = pairs.isEmpty ? try tokenizer.encodeBatch(texts) : try tokenizer.encodeBatch(texts, pairs: pairs)
        let length = encoded.ids.first?.count ?? 0
        guard length > 0 else { throw ModelFileError("the texts give no tokens", file: loaded.tokenizerSource) }
        let tensors = try encoded.tensors()
        let shown = pairs.isEmpty ? texts : zip(texts, pairs).map { "\($0) ‖ \($1)" }
        return RunBatch(texts: shown, tokens: encoded.tokens, inputIDs: tensors.inputIDs, attentionMask: tensors.attentionMask,
                        tokenTypeIDs: tensors.tokenTypeIDs,
                        tokenText: { tokenizer.token(forID: $0) }, maskID: tokenizer.id(forToken: "[MASK]"))
    }
}
