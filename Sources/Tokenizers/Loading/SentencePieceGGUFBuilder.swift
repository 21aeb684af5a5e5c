/// A Llama-style SentencePiece BPE tokenizer from GGUF metadata (`tokenizer.ggml.model` = `llama`: Llama 2,
/// TinyLlama, Mistral): pieces with scores instead of a merge list.
///
/// SentencePiece's BPE (and llama.cpp's) repeatedly joins the adjacent pair whose joined piece is in the vocabulary
/// with the highest score, the leftmost of equal ones. That is a merge list ranked by the joined piece's score:
/// every split of a piece into two pieces is a merge of that rank, and equal scores share a rank so the queue's
/// leftmost-first order decides between them. Text is prefixed with `▁` and its spaces become `▁`
/// (`tokenizer.ggml.add_space_prefix`, default true); characters without a piece fall back to their UTF-8 bytes
/// (`<0x41>` pieces).
struct SentencePieceGGUFBuilder {
    let limits: TokenizerLimits
    let file = "GGUF metadata"

    func build(tokens: [String], scores: [Float], tokenTypes: [Int]?, bosID: Int?, eosID: Int?, unknownID: Int?,
               paddingID: Int?, addBOS: Bool, addSpacePrefix: Bool) throws(TokenizerError) -> any Tokenizer {
        guard tokens.count <= limits.maximumVocabulary else {
            throw error("tokenizer.ggml.tokens", "\(tokens.count) tokens, more than the limit of \(limits.maximumVocabulary)")
        }
        guard scores.count == tokens.count else {
            throw error("tokenizer.ggml.scores", "\(scores.count) scores for \(tokens.count) tokens")
        }
        if let tokenTypes, tokenTypes.count != tokens.count {
            throw error("tokenizer.ggml.token_type", "\(tokenTypes.count) types for \(tokens.count) tokens")
        }
        if let index = scores.firstIndex(where: { !$0.isFinite }) {
            throw error("tokenizer.ggml.scores[\(index)]", "is not finite")
        }
        let vocabulary = try Vocabulary(entries: tokens.enumerated().map { ($1, $0) }, idLimit: tokens.count) { index, message in
            error("tokenizer.ggml.tokens[\(index)]", message)
        }
        for (name, id) in [("tokenizer.ggml.bos_token_id", bosID), ("tokenizer.ggml.eos_token_id", eosID),
                           ("tokenizer.ggml.unknown_token_id", unknownID), ("tokenizer.ggml.padding_token_id", paddingID)] {
            if let id, !vocabulary.contains(id: id) { throw error(name, "\(id) is outside 0..<\(tokens.count)") }
        }
        let model = BytePairModel(vocabulary: vocabulary, merges: try merges(tokens, scores: scores, types: tokenTypes, vocabulary: vocabulary),
                                  unknownID: unknownID, fuseUnknown: false, byteFallback: true, continuingPrefix: [],
                                  endOfWordSuffix: [], ignoreMerges: false)
        let space: Unicode.Scalar = "\u{2581}"
        var parts = PipelineParts(normalizer: addSpacePrefix ? .sequence([.prepend([space]), .replace(pattern: [" "], content: [space])])
                                                             : .replace(pattern: [" "], content: [space]),
                                  model: model)
        parts.decoder = .sequence([.replace(pattern: String(space), content: " "), .byteFallback, .fuse,
                                   .strip(content: " ", start: addSpacePrefix ? 1 : 0, stop: 0)])
        parts.paddingID = paddingID
        parts.addedTokens = AddedToken.fromGGUFTypes(tokens, types: tokenTypes)
        if addBOS {
            guard let bosID else { throw error("tokenizer.ggml.add_bos_token", "is true but there is no bos_token_id") }
            parts.postProcessor = .beginningOfSequence(bosID)
        }
        var tokenizer = parts.assemble()
        tokenizer.addSpecialIDs([bosID, eosID, unknownID, paddingID].compactMap { $0 })
        return tokenizer
    }

    /// Every split of a normal piece into two pieces, ranked by the piece's score (highest first; equal scores
    /// share a rank). Control, unknown, byte and unused pieces are never the result of a join.
    private func merges(_ tokens: [String], scores: [Float], types: [Int]?,
                        vocabulary: Vocabulary) throws(TokenizerError) -> [UInt64: (rank: Int32, id: Int32)] {
        let ranks = Dictionary(Set(scores).sorted(by: >).enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        var table: [UInt64: (rank: Int32, id: Int32)] = [:]
        for (id, token) in tokens.enumerated() where (types?[id] ?? 1) == 1 {
            let scalars = Array(token.unicodeScalars)
            guard scalars.count >= 2 else { continue }
            for split in 1 ..< scalars.count {
                guard let left = vocabulary.id(forScalars: scalars[..<split]),
                      let right = vocabulary.id(forScalars: scalars[split...]) else { continue }
                let key = BytePairModel.pairKey(left, right)
                let rank = ranks[scores[id]] ?? Int32.max
                // Two pieces joining the same pair cannot both exist (the joined text is one piece); keep the first.
                if table[key] == nil { table[key] = (rank, Int32(id)) }
            }
            guard table.count <= limits.maximumMerges else {
                throw error("tokenizer.ggml.tokens", "more than \(limits.maximumMerges) merges follow from the pieces")
            }
        }
        return table
    }

    private func error(_ field: String, _ problem: String) -> TokenizerError {
        TokenizerError(file: file, field: field, problem: problem)
    }
}
