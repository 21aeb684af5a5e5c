import Foundation
import ModelFiles
import Tokenizers

extension LoadedTransformer {
    /// The model's tokenizer: the folder's tokenizer.json (else vocab.txt, or vocab.json + merges.txt), or for a
    /// GGUF file its `tokenizer.ggml.*` metadata (`tokenizer.ggml.model` gpt2: byte-level BPE; llama: SentencePiece
    /// BPE).
    public func tokenizer() throws -> any Tokenizer {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: tokenizerSource, isDirectory: &isFolder), isFolder.boolValue {
            return try TokenizerLoader.load(folder: URL(fileURLWithPath: tokenizerSource))
        }
        let archive = try ModelFileReader.open(path: tokenizerSource)
        let fields = ConfigFields(file: tokenizerSource, pairs: archive.metadata)
        let model = fields.string("tokenizer.ggml.model") ?? "(none)"
        guard model == "gpt2" || model == "llama" else {
            throw fields.error("tokenizer.ggml.model", "\(model.prefix(40)) tokenizers are not supported (gpt2 byte-level BPE, llama SentencePiece BPE)")
        }
        let keys: Set = ["tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.scores"]
        let arrays = try GGUFReader.arrays(buffer: try ByteBuffer.map(path: tokenizerSource), source: tokenizerSource, keys: keys)
        guard let tokens = arrays.strings["tokenizer.ggml.tokens"] else { throw fields.error("tokenizer.ggml.tokens", "missing") }
        let limit = tokens.count - 1
        func tokenID(_ key: String) throws -> Int? {
            fields.has(key) ? try fields.integer(key, 0 ... max(limit, 0)) : nil
        }
        if model == "llama" {
            return try TokenizerLoader.sentencePiece(
                ggufTokens: tokens, scores: arrays.floats["tokenizer.ggml.scores"] ?? [],
                tokenTypes: arrays.integers["tokenizer.ggml.token_type"],
                bosID: try tokenID("tokenizer.ggml.bos_token_id"), eosID: try tokenID("tokenizer.ggml.eos_token_id"),
                unknownID: try tokenID("tokenizer.ggml.unknown_token_id"),
                paddingID: try tokenID("tokenizer.ggml.padding_token_id"),
                addBOS: try fields.bool("tokenizer.ggml.add_bos_token", default: true),
                addSpacePrefix: try fields.bool("tokenizer.ggml.add_space_prefix", default: true))
        }
        return try TokenizerLoader.bytePairEncoding(
            ggufTokens: tokens, merges: arrays.strings["tokenizer.ggml.merges"] ?? [],
            tokenTypes: arrays.integers["tokenizer.ggml.token_type"],
            bosID: try tokenID("tokenizer.ggml.bos_token_id"), eosID: try tokenID("tokenizer.ggml.eos_token_id"),
            paddingID: try tokenID("tokenizer.ggml.padding_token_id"),
            addBOS: try fields.bool("tokenizer.ggml.add_bos_token", default: false),
            // The split the file names (Llama 3's `llama-bpe`, Qwen 2's `qwen2`); llama.cpp's `default` is GPT-2's.
            preTokenizer: { $0 == "default" ? "gpt-2" : $0 }(fields.string("tokenizer.ggml.pre") ?? "gpt-2"))
    }
}
