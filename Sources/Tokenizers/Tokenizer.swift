/// Turns texts into token ids the way Hugging Face's tokenizers library does.
public protocol Tokenizer: Sendable {
    /// The token ids of one text, with the model's special tokens (`[CLS] … [SEP]` for BERT) added.
    func encode(_ text: String) throws -> [Int]
    /// The text of one token id, as the vocabulary spells it (nil for an id outside the vocabulary).
    func token(forID id: Int) -> String?
}
