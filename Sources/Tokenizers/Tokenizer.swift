/// The token ids of one text and the tokens they stand for.
public struct Encoding: Sendable, Equatable {
    /// Token ids, special tokens included.
    public let ids: [Int]
    /// The tokens as the vocabulary spells them (`Ġthe` for GPT-2, `##ing` for BERT).
    public let tokens: [String]

    public init(ids: [Int], tokens: [String]) {
        self.ids = ids
        self.tokens = tokens
    }
}

/// Turns texts into token ids exactly as Hugging Face's tokenizers library does, and back.
public protocol Tokenizer: Sendable {
    /// The encoding of one text, with the special tokens the post-processor adds (`[CLS] … [SEP]` for BERT).
    func encode(_ text: String) throws -> Encoding
    /// The token of `id` as the vocabulary spells it; nil for an id outside the vocabulary.
    func token(forID id: Int) -> String?
    /// The id of a token spelled exactly so (byte for byte, not up to canonical equivalence).
    func id(forToken token: String) -> Int?
    /// One more than the highest id (the rows an embedding table needs).
    var vocabularySize: Int { get }
    /// The padding token's id (`[PAD]` for BERT); nil when the tokenizer has none.
    var paddingID: Int? { get }
    /// The ids of special tokens (`[CLS]`, `<|endoftext|>`, …).
    var specialTokenIDs: Set<Int> { get }
    /// Readable text of `ids`: byte-level BPE decoded back to UTF-8, WordPiece's `##` pieces joined. Special tokens
    /// are kept, as transformers' `decode` does by default.
    func decode(_ ids: [Int]) -> String
}

/// Several texts encoded as one batch, padded on the right to the longest.
public struct TokenizedBatch: Sendable, Equatable {
    /// [texts][longest length] ids, padding included.
    public let ids: [[Int]]
    /// 1 for a real token, 0 for padding.
    public let attentionMask: [[Int]]
    /// The tokens of `ids` (padding spelled as the padding token).
    public let tokens: [[String]]

    public init(ids: [[Int]], attentionMask: [[Int]], tokens: [[String]]) {
        self.ids = ids
        self.attentionMask = attentionMask
        self.tokens = tokens
    }
}

extension Tokenizer {
    /// Encodes `texts` and pads each on the right to the longest, as transformers' `tokenizer(texts, padding=True)`.
    /// Padding uses `paddingID` if given, else the tokenizer's own padding id, else 0.
    public func encodeBatch(_ texts: [String], paddingID: Int? = nil) throws -> TokenizedBatch {
        let encodings = try texts.map(encode)
        let length = encodings.map(\.ids.count).max() ?? 0
        let pad = paddingID ?? self.paddingID ?? 0
        let padToken = token(forID: pad) ?? ""
        var ids: [[Int]] = []
        var mask: [[Int]] = []
        var tokens: [[String]] = []
        for encoding in encodings {
            let missing = length - encoding.ids.count
            ids.append(encoding.ids + Array(repeating: pad, count: missing))
            mask.append(Array(repeating: 1, count: encoding.ids.count) + Array(repeating: 0, count: missing))
            tokens.append(encoding.tokens + Array(repeating: padToken, count: missing))
        }
        return TokenizedBatch(ids: ids, attentionMask: mask, tokens: tokens)
    }
}
