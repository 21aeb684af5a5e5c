import NNCore
import Tokenizers

extension TokenizedBatch {
    /// The batch as a model's inputs: `input_ids` and `attention_mask` [texts, tokens] as integral floats, and
    /// `token_type_ids` when any token has a type other than 0 (a batch of pairs); throws for an empty batch.
    public func tensors() throws -> (inputIDs: Tensor, attentionMask: Tensor, tokenTypeIDs: Tensor?) {
        let shape = [ids.count, ids.first?.count ?? 0]
        func tensor(_ rows: [[Int]]) throws -> Tensor { try Tensor(rows.flatMap { $0.map(Float.init) }, shape: shape) }
        return (try tensor(ids), try tensor(attentionMask), hasTokenTypes ? try tensor(tokenTypeIDs) : nil)
    }
}
