import Foundation

/// Builds tokenizers from Hugging Face files or GGUF metadata.
public enum TokenizerLoader {
    /// The tokenizer of a model folder: tokenizer.json if present, else vocab.txt (WordPiece with BERT's defaults),
    /// else vocab.json + merges.txt (byte-level BPE with GPT-2's defaults). tokenizer_config.json, when present,
    /// supplies the padding token (and `do_lower_case` for vocab.txt).
    public static func load(folder: URL) throws -> any Tokenizer {
        try load(folder: folder, limits: .standard)
    }

    /// The tokenizer described by a tokenizer.json. The padding token is tokenizer_config.json's `pad_token` when
    /// that file is beside it, else tokenizer.json's `padding.pad_id`, else none.
    public static func load(tokenizerJSON: URL) throws -> any Tokenizer {
        try load(tokenizerJSON: tokenizerJSON, limits: .standard)
    }

    /// A GPT-2-style byte-level BPE tokenizer from GGUF metadata (`tokenizer.ggml.model` = `gpt2`): `ggufTokens`
    /// (`tokenizer.ggml.tokens`, the id being the index), `merges` as `"a b"` strings, `tokenTypes`
    /// (`tokenizer.ggml.token_type`: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). Control and
    /// unknown tokens are special; control and user-defined tokens are matched whole in the text. `addBOS` puts the
    /// BOS token in front of every text.
    public static func bytePairEncoding(ggufTokens: [String], merges: [String], tokenTypes: [Int]?, bosID: Int?,
                                        eosID: Int?, paddingID: Int?, addBOS: Bool) throws -> any Tokenizer {
        try bytePairEncoding(ggufTokens: ggufTokens, merges: merges, tokenTypes: tokenTypes, bosID: bosID, eosID: eosID,
                             paddingID: paddingID, addBOS: addBOS, preTokenizer: "gpt-2")
    }

    /// The same for another `tokenizer.ggml.pre`: `gpt-2`, `llama-bpe` / `llama3` (Llama 3's split pattern; a word
    /// that is itself a token is not merged) or `qwen2` (Qwen 2's). Others throw, naming the value.
    public static func bytePairEncoding(ggufTokens: [String], merges: [String], tokenTypes: [Int]?, bosID: Int?,
                                        eosID: Int?, paddingID: Int?, addBOS: Bool,
                                        preTokenizer: String) throws -> any Tokenizer {
        try GGUFTokenizerBuilder(limits: .standard).build(
            tokens: ggufTokens, merges: merges, tokenTypes: tokenTypes, bosID: bosID, eosID: eosID,
            paddingID: paddingID, addBOS: addBOS, preTokenizer: preTokenizer)
    }

    /// A Llama-style SentencePiece BPE tokenizer from GGUF metadata (`tokenizer.ggml.model` = `llama`): pieces
    /// (`tokenizer.ggml.tokens`), their `scores` (joins of higher-scored pieces first), `tokenTypes` as above (6 =
    /// byte pieces `<0xAB>`, the fallback for characters without a piece), a `▁` prefix when `addSpacePrefix`.
    public static func sentencePiece(ggufTokens: [String], scores: [Float], tokenTypes: [Int]?, bosID: Int?, eosID: Int?,
                                     unknownID: Int?, paddingID: Int?, addBOS: Bool,
                                     addSpacePrefix: Bool) throws -> any Tokenizer {
        try SentencePieceGGUFBuilder(limits: .standard).build(
            tokens: ggufTokens, scores: scores, tokenTypes: tokenTypes, bosID: bosID, eosID: eosID, unknownID: unknownID,
            paddingID: paddingID, addBOS: addBOS, addSpacePrefix: addSpacePrefix)
    }

    package static func load(folder: URL, limits: TokenizerLimits) throws(TokenizerError) -> any Tokenizer {
        let manager = FileManager.default
        func exists(_ name: String) -> Bool { manager.fileExists(atPath: folder.appendingPathComponent(name).path) }
        if exists("tokenizer.json") {
            return try load(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"), limits: limits)
        }
        let config = try TokenizerConfig(folder: folder, limits: limits)
        let files = VocabularyFiles(limits: limits)
        var parts: PipelineParts
        if exists("vocab.txt") {
            let bytes = try limits.read(folder.appendingPathComponent("vocab.txt"))
            parts = try files.wordPiece(vocabText: bytes, file: "vocab.txt", lowercase: config?.lowercase ?? true)
        } else if exists("vocab.json"), exists("merges.txt") {
            parts = try files.bytePair(
                vocabJSON: try limits.read(folder.appendingPathComponent("vocab.json")), vocabFile: "vocab.json",
                mergesText: try limits.read(folder.appendingPathComponent("merges.txt")), mergesFile: "merges.txt")
        } else {
            throw TokenizerError(file: folder.lastPathComponent, field: "",
                                 problem: "no tokenizer.json, vocab.txt or vocab.json + merges.txt in \(folder.path)")
        }
        try config?.applyPadding(to: &parts)
        return parts.assemble()
    }

    package static func load(tokenizerJSON url: URL, limits: TokenizerLimits) throws(TokenizerError) -> any Tokenizer {
        let root = try limits.parseJSON(try limits.read(url), file: url.lastPathComponent)
        var parts = try TokenizerJSONReader(limits: limits).parts(from: root)
        // transformers pads with tokenizer_config.json's pad_token; tokenizer.json's padding section is the fallback.
        try TokenizerConfig(folder: url.deletingLastPathComponent(), limits: limits)?.applyPadding(to: &parts)
        return parts.assemble()
    }
}
