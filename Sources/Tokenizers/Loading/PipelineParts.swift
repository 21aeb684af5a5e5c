/// What a tokenizer file describes, before the pieces are checked against each other and assembled.
struct PipelineParts {
    var normalizer: Normalizer?
    var preTokenizer: PreTokenizer?
    var model: any TokenizerModel
    var addedTokens: [AddedToken] = []
    var postProcessor: PostProcessor = .identity
    var decoder: Decoder = .joinedWithSpaces
    var paddingID: Int?

    /// The tokenizer: the model's vocabulary extended by the added tokens (an added token's spelling wins for its
    /// id, as in the library), matchers for raw and normalized added tokens.
    func assemble() -> PipelineTokenizer {
        var vocabulary = model.vocabulary
        for token in addedTokens {
            vocabulary.setAdded(String(scalars: token.content), id: token.id)
        }
        let raw = addedTokens.filter { !$0.normalized }.map { (pattern: $0.content, token: $0) }
        let normalized = addedTokens.filter(\.normalized).map { token in
            (pattern: normalizer?.normalize(token.content) ?? token.content, token: token)
        }
        return PipelineTokenizer(
            normalizer: normalizer, preTokenizer: preTokenizer, model: model,
            rawAddedTokens: AddedTokenMatcher(raw), normalizedAddedTokens: AddedTokenMatcher(normalized),
            postProcessor: postProcessor, decoder: decoder, vocabulary: vocabulary, paddingID: paddingID,
            specialTokenIDs: Set(addedTokens.filter(\.special).map(\.id)))
    }
}
