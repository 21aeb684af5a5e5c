/// The token ids of one text and the tokens they stand for.
public struct Encoding: Sendable, Equatable {
    /// Token ids, special tokens included.
    public let ids: [Int]
    /// The tokens as the vocabulary spells them (`Ġthe` for GPT-2, `##ing` for BERT).
    public let tokens: [String]
    /// Each token's type id (`token_type_ids`): 0 throughout one text; in BERT's pair template 1 from the second
    /// text on.
    public let typeIDs: [Int]

    public init(ids: [Int], tokens: [String], typeIDs: [Int]? = nil) {
        self.ids = ids
        self.tokens = tokens
        self.typeIDs = typeIDs ?? Array(repeating: 0, count: ids.count)
    }
}

/// Turns texts into token ids exactly as Hugging Face's tokenizers library does, and back.
public protocol Tokenizer: Sendable {
    /// The encoding of one text, with the special tokens the post-processor adds (`[CLS] … [SEP]` for BERT).
    func encode(_ text: String) throws -> Encoding
    /// The encoding of a pair of texts (`tokenizer(text, text_pair)`) with the post-processor's pair template
    /// (`[CLS] A [SEP] B [SEP]`, B's tokens of type 1 for BERT). Throws when the tokenizer has no pair template.
    func encode(_ text: String, pair: String) throws -> Encoding
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
    /// Each token's type id (`token_type_ids`), padding 0.
    public let tokenTypeIDs: [[Int]]

    public init(ids: [[Int]], attentionMask: [[Int]], tokens: [[String]], tokenTypeIDs: [[Int]]? = nil) {
        self.ids = ids
        self.attentionMask = attentionMask
        self.tokens = tokens
        self.tokenTypeIDs = tokenTypeIDs ?? ids.map { Array(repeating: 0, count: $0.count) }
    }

    /// Whether any token has a type id other than 0 (a batch of pairs with BERT's template).
    public var hasTokenTypes: Bool { tokenTypeIDs.contains { $0.contains { $0 != 0 } } }
}

extension Tokenizer {
    /// Encodes `texts` and pads each on the right to the longest, as transformers' `tokenizer(texts, padding=True)`.
    /// Padding uses `paddingID` if given, else the tokenizer's own padding id, else 0.
    public func encodeBatch(_ texts: [String], paddingID: Int? = nil) throws -> TokenizedBatch {
        try pad(texts.map(encode), paddingID: paddingID)
    }

    /// Encodes each text with its pair (`tokenizer(texts, pairs, padding=True)`; a nil pair encodes its text alone)
    /// and pads on the right to the longest; `pairs` must have one entry per text.
    public func encodeBatch(_ texts: [String], pairs: [String?], paddingID: Int? = nil) throws -> TokenizedBatch {
        guard pairs.count == texts.count else {
            throw TokenizerError(file: "tokenizer", field: "",
                                 problem: "\(texts.count) texts but \(pairs.count) second texts of pairs")
        }
        return try pad(zip(texts, pairs).map { text, pair in try pair.map { try encode(text, pair: $0) } ?? encode(text) },
                       paddingID: paddingID)
    }

    private func pad(_ encodings: [Encoding], paddingID: Int?) throws -> TokenizedBatch {
        let length = encodings.map(\.ids.count).max() ?? 0
        let pad = paddingID ?? self.paddingID ?? 0
        let padToken = token(forID: pad) ?? ""
        var ids: [[Int]] = []
        var mask: [[Int]] = []
        var tokens: [[String]] = []
        var types: [[Int]] = []
        for encoding in encodings {
            let missing = length - encoding.ids.count
            ids.append(encoding.ids + Array(repeating: pad, count: missing))
            mask.append(Array(repeating: 1, count: encoding.ids.count) + Array(repeating: 0, count: missing))
            tokens.append(encoding.tokens + Array(repeating: padToken, count: missing))
            types.append(encoding.typeIDs + Array(repeating: 0, count: missing))
        }
        return TokenizedBatch(ids: ids, attentionMask: mask, tokens: tokens, tokenTypeIDs: types)
    }
}
