import Architectures
import Foundation
import ModelFiles
import NNCore
import Tokenizers

extension RunBatch {
    /// The texts encoded by the model's tokenizer (the folder's tokenizer files, or a GGUF file's
    /// `tokenizer.ggml.*` arrays) and padded on the right, as transformers' `tokenizer(texts, padding=True)`.
    static func fromTexts(_ texts: [String], loaded: LoadedTransformer) throws -> RunBatch {
        let tokenizer = try loaded.tokenizer()
        let encoded = try tokenizer.encodeBatch(texts)
        let length = encoded.ids.first?.count ?? 0
        guard length > 0 else { throw ModelFileError("the texts give no tokens", file: loaded.tokenizerSource) }
        let ids = try Tensor(encoded.ids.flatMap { $0.map(Float.init) }, shape: [texts.count, length])
        let mask = try Tensor(encoded.attentionMask.flatMap { $0.map(Float.init) }, shape: [texts.count, length])
        return RunBatch(texts: texts, tokens: encoded.tokens, inputIDs: ids, attentionMask: mask,
                        tokenText: { tokenizer.token(forID: $0) }, maskID: tokenizer.id(forToken: "[MASK]"))
    }
}
