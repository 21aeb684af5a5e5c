/// A tokenizer.json `post_processor`: the special tokens around one text or a pair of texts, and the token type id
/// of every piece (0 for the first text, 1 for the second in BERT's pair template).
struct PostProcessor: Sendable {
    /// Which of the two texts a sequence piece stands for.
    enum Sequence: Sendable, Equatable {
        case first, second
    }

    enum Piece: Sendable {
        /// The tokens of one text, each with this type id.
        case sequence(Sequence, typeID: Int)
        /// Special tokens, each with this type id.
        case special([Int], typeID: Int)
    }

    /// The single-text template, e.g. `[CLS] $A [SEP]`; `[.sequence(.first, typeID: 0)]` adds nothing.
    let single: [Piece]
    /// The pair template, e.g. `[CLS] $A [SEP] $B:1 [SEP]:1`; nil when the tokenizer cannot encode pairs.
    let pair: [Piece]?

    /// What a tokenizer without a post-processor does: nothing around one text, and a pair is the first text's
    /// tokens (type 0) followed by the second's (type 1), as the tokenizers library's default processing.
    static let identity = PostProcessor(single: [.sequence(.first, typeID: 0)],
                                        pair: [.sequence(.first, typeID: 0), .sequence(.second, typeID: 1)])

    /// BERT's `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B:1 [SEP]:1` (BertProcessing, vocab.txt folders).
    static func bert(cls: Int, sep: Int) -> PostProcessor {
        PostProcessor(single: [.special([cls], typeID: 0), .sequence(.first, typeID: 0), .special([sep], typeID: 0)],
                      pair: [.special([cls], typeID: 0), .sequence(.first, typeID: 0), .special([sep], typeID: 0),
                             .sequence(.second, typeID: 1), .special([sep], typeID: 1)])
    }

    /// transformers' Llama template: `<s> $A` and `<s> $A <s>:1 $B:1` (GGUF files with `add_bos_token`).
    static func beginningOfSequence(_ bos: Int) -> PostProcessor {
        PostProcessor(single: [.special([bos], typeID: 0), .sequence(.first, typeID: 0)],
                      pair: [.special([bos], typeID: 0), .sequence(.first, typeID: 0), .special([bos], typeID: 1),
                             .sequence(.second, typeID: 1)])
    }

    /// RoBERTa's `<s> $A </s>` and `<s> $A </s> </s> $B </s>`, every type id 0 (RobertaProcessing).
    static func roberta(cls: Int, sep: Int) -> PostProcessor {
        PostProcessor(single: [.special([cls], typeID: 0), .sequence(.first, typeID: 0), .special([sep], typeID: 0)],
                      pair: [.special([cls], typeID: 0), .sequence(.first, typeID: 0), .special([sep, sep], typeID: 0),
                             .sequence(.second, typeID: 0), .special([sep], typeID: 0)])
    }

    /// Whether the processor adds nothing (ByteLevel's post-processing, or none at all).
    var isIdentity: Bool {
        guard single.count == 1, case .sequence(.first, typeID: 0) = single[0] else { return false }
        return true
    }

    /// The ids of one text with the special tokens around them, and each id's token type.
    func apply(_ ids: [Int]) -> (ids: [Int], typeIDs: [Int]) {
        Self.fill(single, first: ids, second: [])
    }

    /// The ids of a pair of texts with the special tokens around them, and each id's token type; nil when the
    /// tokenizer has no pair template.
    func apply(_ first: [Int], _ second: [Int]) -> (ids: [Int], typeIDs: [Int])? {
        pair.map { Self.fill($0, first: first, second: second) }
    }

    private static func fill(_ template: [Piece], first: [Int], second: [Int]) -> (ids: [Int], typeIDs: [Int]) {
        var ids: [Int] = [], types: [Int] = []
        ids.reserveCapacity(first.count + second.count + template.count)
        types.reserveCapacity(ids.capacity)
        for piece in template {
            switch piece {
            case .sequence(let which, let typeID):
                let part = which == .first ? first : second
                ids.append(contentsOf: part)
                types.append(contentsOf: repeatElement(typeID, count: part.count))
            case .special(let special, let typeID):
                ids.append(contentsOf: special)
                types.append(contentsOf: repeatElement(typeID, count: special.count))
            }
        }
        return (ids, types)
    }

    /// `self` applied to what `inner` produced, as a `Sequence` of post-processors runs them: the single template
    /// nests; a pair goes through `inner`'s pair template and then `self`'s single template, whose sequence piece
    /// sets the type of every token inside (as the tokenizers library's TemplateProcessing does). Processors that
    /// add nothing drop out. Two processors that both add tokens have no pair template: the library itself
    /// cannot encode a pair with them.
    func composed(after inner: PostProcessor) -> PostProcessor {
        if isIdentity { return inner }
        if inner.isIdentity { return self }
        return PostProcessor(single: Self.nest(single, around: inner.single), pair: nil)
    }

    /// `outer` with its sequence piece replaced by `inner`'s pieces, retyped to the sequence piece's type id.
    private static func nest(_ outer: [Piece], around inner: [Piece]) -> [Piece] {
        outer.flatMap { piece -> [Piece] in
            guard case .sequence(_, let typeID) = piece else { return [piece] }
            return inner.map { innerPiece in
                switch innerPiece {
                case .sequence(let which, _): return .sequence(which, typeID: typeID)
                case .special(let ids, _): return .special(ids, typeID: typeID)
                }
            }
        }
    }
}
