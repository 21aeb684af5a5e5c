/// The tokenizers library's pipeline: added tokens split off, normalizer, pre-tokenizer, model, post-processor
/// (and a decoder for the way back). Every stage works on Unicode scalars.
struct PipelineTokenizer: Tokenizer {
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: any TokenizerModel
    /// Added tokens matched in the raw text, and those matched after normalization.
    let rawAddedTokens: AddedTokenMatcher
    let normalizedAddedTokens: AddedTokenMatcher
    let postProcessor: PostProcessor
    let decoder: Decoder
    /// The model's vocabulary with the added tokens.
    let vocabulary: Vocabulary
    let paddingID: Int?
    private(set) var specialTokenIDs: Set<Int>

    func encode(_ text: String) throws -> Encoding {
        let (ids, types) = postProcessor.apply(tokenize(text))
        return Encoding(ids: ids, tokens: ids.map { vocabulary.token(for: $0) ?? "" }, typeIDs: types)
    }

    func encode(_ text: String, pair: String) throws -> Encoding {
        guard let (ids, types) = postProcessor.apply(tokenize(text), tokenize(pair)) else {
            throw TokenizerError(file: "tokenizer", field: "post_processor",
                                 problem: "has no template for a pair of texts")
        }
        return Encoding(ids: ids, tokens: ids.map { vocabulary.token(for: $0) ?? "" }, typeIDs: types)
    }

    /// The ids of one text before post-processing: added tokens, normalisation, pre-tokenisation and the model.
    private func tokenize(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        for segment in rawAddedTokens.split(scalars[...]) {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let piece):
                let normalized = normalizer?.normalize(Array(piece)) ?? Array(piece)
                for inner in normalizedAddedTokens.split(normalized[...]) {
                    switch inner {
                    case .token(let id): ids.append(id)
                    case .text(let words):
                        if words.isEmpty { continue }
                        let startsText = piece.startIndex == 0 && words.startIndex == 0
                        let split = preTokenizer?.split([Array(words)], startsText: startsText) ?? [Array(words)]
                        for word in split { model.tokenize(word, into: &ids) }
                    }
                }
            }
        }
        return ids
    }

    func token(forID id: Int) -> String? { vocabulary.token(for: id) }

    func id(forToken token: String) -> Int? { vocabulary.id(for: token) }

    var vocabularySize: Int { vocabulary.idLimit }

    func decode(_ ids: [Int]) -> String {
        decoder.decode(ids.compactMap(vocabulary.token(for:)))
    }

    mutating func addSpecialIDs(_ ids: [Int]) { specialTokenIDs.formUnion(ids) }
}
