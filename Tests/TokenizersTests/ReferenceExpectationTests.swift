import Foundation
import Testing
@testable import Tokenizers

/// transformers' ids, tokens and decoded text for hard texts (Fixtures/expectations.json, written by
/// scripts/reference/tokenizer_expectations.py): accents in both normal forms, CJK, emoji, contractions, runs of
/// whitespace, punctuation runs, control characters, very long words, special tokens inside text.
@Suite struct ReferenceExpectationTests {
    struct Row: Decodable {
        let ids: [Int]
        let tokens: [String]
        let decoded: String
    }

    struct File: Decodable {
        let texts: [String]
        let expectations: [String: [Row]]

        static func load() throws -> File {
            try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("expectations.json")))
        }
    }

    @Test(arguments: ["bert_mlm", "gpt2", "llama", "minilm"])
    func tokenizerJSONMatchesTransformers(folder: String) throws {
        let file = try File.load()
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("\(folder)/tokenizer.json"))
        try check(tokenizer, against: try #require(file.expectations[folder]), texts: file.texts, decoded: true)
    }

    /// The older files give the same ids: vocab.txt with BERT's defaults, vocab.json + merges.txt with GPT-2's.
    @Test(arguments: [("bert_mlm", ["vocab.txt", "tokenizer_config.json"]), ("minilm", ["vocab.txt"]),
                      ("gpt2", ["vocab.json", "merges.txt", "tokenizer_config.json"])])
    func vocabularyFilesMatchTransformers(folder: String, files: [String]) throws {
        let file = try File.load()
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.folder(copying: files, from: folder))
        try check(tokenizer, against: try #require(file.expectations[folder]), texts: file.texts, decoded: true)
    }

    /// GGUF's arrays (tokens by id, "a b" merges, <|endoftext|> a control token) give GPT-2's ids.
    @Test func ggufArraysMatchTransformers() throws {
        let file = try File.load()
        let vocab = try JSONSerialization.jsonObject(with: Data(contentsOf: try Fixtures.url("llama/vocab.json")))
        // JSONSerialization is fine here: this vocabulary has no canonically equivalent pair of tokens.
        let byID = try #require(vocab as? [String: Int])
        var tokens = [String](repeating: "", count: byID.count)
        for (token, id) in byID { tokens[id] = token }
        let merges = try String(contentsOf: try Fixtures.url("llama/merges.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#version") }
        let types = tokens.map { $0 == "<|endoftext|>" ? 3 : 1 }
        let tokenizer = try TokenizerLoader.bytePairEncoding(
            ggufTokens: tokens, merges: merges, tokenTypes: types, bosID: 0, eosID: 0, paddingID: 0, addBOS: false)
        try check(tokenizer, against: try #require(file.expectations["llama"]), texts: file.texts, decoded: true)
        let withBOS = try TokenizerLoader.bytePairEncoding(
            ggufTokens: tokens, merges: merges, tokenTypes: types, bosID: 0, eosID: 0, paddingID: nil, addBOS: true)
        #expect(try withBOS.encode("Hello").ids == [0] + tokenizer.encode("Hello").ids)
        #expect(withBOS.paddingID == nil)
        #expect(withBOS.specialTokenIDs == [0])
    }

    /// GGUF arrays with `tokenizer.ggml.pre` = `llama-bpe` give the library's ids for the same vocabulary under Llama
    /// 3's split pattern, ignore_merges and a BOS template (the llama3_split variant).
    @Test func ggufLlamaBPEMatchesTheLibrary() throws {
        let vocab = try JSONSerialization.jsonObject(with: Data(contentsOf: try Fixtures.url("llama/vocab.json")))
        let byID = try #require(vocab as? [String: Int])
        var tokens = [String](repeating: "", count: byID.count)
        for (token, id) in byID { tokens[id] = token }
        let merges = try String(contentsOf: try Fixtures.url("llama/merges.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#version") }
        let tokenizer = try TokenizerLoader.bytePairEncoding(
            ggufTokens: tokens, merges: merges, tokenTypes: tokens.map { $0 == "<|endoftext|>" ? 3 : 1 }, bosID: 0,
            eosID: 0, paddingID: 0, addBOS: true, preTokenizer: "llama-bpe")
        let file = try JSONDecoder().decode(VariantExpectationTests.File.self,
                                            from: Data(contentsOf: try Fixtures.url("expectations.json")))
        let rows = try #require(file.variants["llama3_split"])
        for (text, row) in zip(file.texts + file.added_texts, rows) {
            #expect(try tokenizer.encode(text).ids == row.ids, "ids of \(text.debugDescription)")
        }
        #expect(throws: TokenizerError(file: "GGUF metadata", field: "tokenizer.ggml.pre",
                                       problem: "\"tekken\" is not supported (gpt-2, llama-bpe, qwen2 are)")) {
            try TokenizerLoader.bytePairEncoding(ggufTokens: tokens, merges: [], tokenTypes: nil, bosID: nil, eosID: nil,
                                                 paddingID: nil, addBOS: false, preTokenizer: "tekken")
        }
    }

    private func check(_ tokenizer: any Tokenizer, against rows: [Row], texts: [String], decoded: Bool) throws {
        try #require(rows.count == texts.count)
        for (text, row) in zip(texts, rows) {
            let encoding = try tokenizer.encode(text)
            #expect(encoding.ids == row.ids, "ids of \(text.debugDescription)")
            #expect(encoding.tokens.map { Array($0.unicodeScalars) } == row.tokens.map { Array($0.unicodeScalars) },
                    "tokens of \(text.debugDescription)")
            if decoded {
                #expect(Array(tokenizer.decode(row.ids).unicodeScalars) == Array(row.decoded.unicodeScalars),
                        "decoded \(text.debugDescription)")
            }
        }
    }
}

/// Tokenizers edited from the fixtures (scripts/reference/tokenizer_expectations.py) so every flag the loader
/// honours is checked against the tokenizers library: BertNormalizer's flags, Sequence/NFD/Lowercase/StripAccents/
/// Replace normalizers, the Whitespace pre-tokenizer, BertProcessing, ByteLevel's prefix space, added tokens with
/// lstrip/rstrip/single_word/normalized, NFC, a BOS template and ignore_merges, Llama 3's and Qwen 2's split
/// patterns, and SentencePiece-style BPE (Metaspace, Prepend + Replace, byte fallback, fused <unk>, Llama's decoder).
@Suite struct VariantExpectationTests {
    /// Ids and decoded text (tokens are checked on the fixtures themselves, keeping this file small).
    struct Row: Decodable {
        let ids: [Int]
        let decoded: String
    }

    struct File: Decodable {
        let texts: [String]
        let added_texts: [String]
        let variants: [String: [Row]]
    }

    @Test(arguments: ["bert_cased", "bert_plain", "bert_sequence", "gpt2_prefix_space", "gpt2_added", "llama_bos",
                      "llama3_split", "qwen2_split", "metaspace_first", "metaspace_always_split", "prepend_replace"])
    func variantMatchesTheLibrary(name: String) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("expectations.json")))
        let rows = try #require(file.variants[name])
        let texts = file.texts + file.added_texts
        try #require(rows.count == texts.count)
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("variants/\(name)/tokenizer.json"))
        for (text, row) in zip(texts, rows) {
            let encoding = try tokenizer.encode(text)
            #expect(encoding.ids == row.ids, "ids of \(text.debugDescription)")
            #expect(encoding.tokens == encoding.ids.map { tokenizer.token(forID: $0) ?? "?" })
            #expect(Array(tokenizer.decode(row.ids).unicodeScalars) == Array(row.decoded.unicodeScalars),
                    "decoded \(text.debugDescription)")
        }
    }
}
