/// A tokenizer from GGUF's `tokenizer.ggml.*` metadata (model `gpt2`): the same pipeline as the tokenizer.json the
/// GGUF was converted from (GPT-2's, Llama 3's or Qwen 2's pre-tokenizer).
struct GGUFTokenizerBuilder {
    let limits: TokenizerLimits
    let file = "GGUF metadata"

    func build(tokens: [String], merges: [String], tokenTypes: [Int]?, bosID: Int?, eosID: Int?, paddingID: Int?,
               addBOS: Bool, preTokenizer: String) throws(TokenizerError) -> any Tokenizer {
        let split: PreTokenizer.SplitPattern
        switch preTokenizer {
        case "gpt-2": split = .gpt2
        case "llama-bpe", "llama3": split = .llama(LlamaSplit(maximumDigits: 3))
        case "qwen2": split = .llama(LlamaSplit(maximumDigits: 1))
        default:
            throw error("tokenizer.ggml.pre", "\(JSONField.quoted(preTokenizer)) is not supported (gpt-2, llama-bpe, qwen2 are)")
        }
        guard tokens.count <= limits.maximumVocabulary else {
            throw error("tokenizer.ggml.tokens", "\(tokens.count) tokens, more than the limit of \(limits.maximumVocabulary)")
        }
        if let tokenTypes, tokenTypes.count != tokens.count {
            throw error("tokenizer.ggml.token_type", "\(tokenTypes.count) types for \(tokens.count) tokens")
        }
        let vocabulary = try Vocabulary(entries: tokens.enumerated().map { ($1, $0) }, idLimit: tokens.count) { index, message in
            error("tokenizer.ggml.tokens[\(index)]", message)
        }
        guard merges.count <= limits.maximumMerges else {
            throw error("tokenizer.ggml.merges", "\(merges.count) merges, more than the limit of \(limits.maximumMerges)")
        }
        var pairs: [(left: String, right: String)] = []
        pairs.reserveCapacity(merges.count)
        for (index, merge) in merges.enumerated() {
            guard let pair = ModelBuilder.splitMerge(merge) else {
                throw error("tokenizer.ggml.merges[\(index)]", "\(JSONField.quoted(merge)) is not two tokens separated by a space")
            }
            pairs.append(pair)
        }
        let model = try ModelBuilder.bytePair(
            vocabulary: vocabulary, merges: pairs, limits: limits, unknownToken: nil,
            ignoreMerges: preTokenizer == "llama-bpe" || preTokenizer == "llama3",
            problem: { field, message in error(field, message) },
            mergeField: { index in index < 0 ? "tokenizer.ggml.merges" : "tokenizer.ggml.merges[\(index)]" })
        for (name, id) in [("tokenizer.ggml.bos_token_id", bosID), ("tokenizer.ggml.eos_token_id", eosID),
                           ("tokenizer.ggml.padding_token_id", paddingID)] {
            if let id, !vocabulary.contains(id: id) { throw error(name, "\(id) is outside 0..<\(tokens.count)") }
        }
        var parts = PipelineParts(normalizer: nil, model: model)
        parts.preTokenizer = .sequence([.split(split), .byteLevel(addPrefixSpace: false, useRegex: false)])
        parts.decoder = .byteLevel
        parts.paddingID = paddingID
        parts.addedTokens = AddedToken.fromGGUFTypes(tokens, types: tokenTypes)
        if addBOS {
            guard let bosID else { throw error("tokenizer.ggml.add_bos_token", "is true but there is no bos_token_id") }
            parts.postProcessor = .beginningOfSequence(bosID)
        }
        var tokenizer = parts.assemble()
        tokenizer.addSpecialIDs([bosID, eosID, paddingID].compactMap { $0 })
        return tokenizer
    }

    private func error(_ field: String, _ problem: String) -> TokenizerError {
        TokenizerError(file: file, field: field, problem: problem)
    }
}
