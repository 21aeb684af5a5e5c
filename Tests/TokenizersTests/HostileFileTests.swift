import Foundation
import Testing
@testable import Tokenizers

/// Broken or hostile tokenizer files throw one line naming the file and the field, before allocating anything from
/// a size the file chose.
@Suite struct HostileFileTests {
    static let cases: [(file: String, message: String)] = [
        ("truncated.json", "truncated.json: invalid JSON: unterminated string (truncated?) at byte 300"),
        ("vocab_is_array.json", "vocab_is_array.json: model.vocab: expected an object, found an array"),
        ("id_is_string.json", "id_is_string.json: model.vocab[\"a\"]: expected an integer, found a string"),
        ("id_outside_range.json", "id_outside_range.json: model.vocab[\"ab\"]: 4000000000 is outside 0...2147483647"),
        ("id_huge.json", "id_huge.json: model.vocab[\"b\"]: 123456789012345678901234567890 is not an integer in 0...2147483647"),
        ("duplicate_ids.json", "duplicate_ids.json: model.vocab[\"ab\"]: id 1 is given to both \"b\" and \"ab\""),
        ("merge_unknown_token.json", "merge_unknown_token.json: model.merges[1]: names \"zz\", which is not in the vocabulary"),
        ("merge_result_missing.json", "merge_result_missing.json: model.merges[0]: makes \"ab\", which is not in the vocabulary"),
        ("merge_wrong_shape.json", "merge_wrong_shape.json: model.merges[0]: expected a pair of two strings"),
        ("merge_no_space.json", "merge_no_space.json: model.merges[0]: \"ab\" is not two tokens separated by a space"),
        ("unsupported_model.json", "unsupported_model.json: model.type: model type \"Unigram\" is not supported (WordPiece and BPE are)"),
        ("missing_model.json", "missing_model.json: model: missing"),
        ("added_token_duplicate_id.json", "added_token_duplicate_id.json: added_tokens[1].id: id 0 is given to two added tokens"),
        ("added_token_outside_range.json", "added_token_outside_range.json: added_tokens[0].id: 70000 is outside 0..<3 (vocabulary and added tokens)"),
        ("template_unknown_id.json", "template_unknown_id.json: post_processor.special_tokens[\"[CLS]\"].ids[0]: 5 is not the id of any token"),
        ("absurd_max_chars.json", "absurd_max_chars.json: model.max_input_chars_per_word: 1e+30 is not an integer in 0...2147483647"),
        ("unknown_normalizer.json", "unknown_normalizer.json: normalizer.type: normalizer \"Precompiled\" is not supported"),
        ("deep_nesting.json", "deep_nesting.json: invalid JSON: nested more than 64 levels deep at byte 73"),
        ("invalid_utf8.json", "invalid_utf8.json: invalid JSON: string is not valid UTF-8 at byte 55"),
        ("lone_surrogate.json", "lone_surrogate.json: invalid JSON: lone surrogate in a \\u escape at byte 61"),
    ]

    @Test(arguments: cases)
    func tokenizerJSONIsRefusedWithOneLine(file: String, message: String) throws {
        let url = try Fixtures.url("hostile/\(file)")
        do {
            _ = try TokenizerLoader.load(tokenizerJSON: url)
            Issue.record("\(file) loaded")
        } catch let error as TokenizerError {
            #expect(error.description == message)
            #expect(!error.description.contains("\n"))
        }
    }

    private func loadError(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? TokenizerError)?.description ?? "not a TokenizerError: \(error)"
        }
    }

    @Test func vocabTextWithInvalidUTF8() throws {
        let folder = try Fixtures.folder(copying: [], from: "hostile")
        try FileManager.default.copyItem(at: try Fixtures.url("hostile/vocab_bad_utf8.txt"), to: folder.appendingPathComponent("vocab.txt"))
        #expect(loadError { _ = try TokenizerLoader.load(folder: folder) } == "vocab.txt: line 4: is not valid UTF-8")
    }

    @Test func mergesTextWithABadLine() throws {
        let folder = try Fixtures.folder(copying: ["vocab.json"], from: "gpt2")
        try FileManager.default.copyItem(at: try Fixtures.url("hostile/merges_bad_line.txt"), to: folder.appendingPathComponent("merges.txt"))
        #expect(loadError { _ = try TokenizerLoader.load(folder: folder) }
            == "merges.txt: line 3: \"abc\" is not two tokens separated by a space")
    }

    @Test func folderWithoutTokenizerFiles() throws {
        let folder = try Fixtures.folder(copying: ["tokenizer_config.json"], from: "gpt2")
        let message = loadError { _ = try TokenizerLoader.load(folder: folder) }
        #expect(message?.hasPrefix("\(folder.lastPathComponent): no tokenizer.json, vocab.txt or vocab.json + merges.txt in ") == true)
    }

    @Test func missingFileAndDirectory() throws {
        let folder = try Fixtures.folder(copying: [], from: "gpt2")
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: folder.appendingPathComponent("tokenizer.json")) }?
            .hasPrefix("tokenizer.json: cannot be read") == true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tokenizer.json"), withIntermediateDirectories: false)
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: folder.appendingPathComponent("tokenizer.json")) }
            == "tokenizer.json: is a directory, not a file")
    }

    @Test func padTokenNotInTheVocabulary() throws {
        let folder = try Fixtures.folder(copying: ["vocab.txt"], from: "bert_mlm")
        try Data(#"{"pad_token": "<nope>"}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        #expect(loadError { _ = try TokenizerLoader.load(folder: folder) }
            == "tokenizer_config.json: pad_token: \"<nope>\" is not in the vocabulary")
    }

    /// A file over 64 MiB is refused from its size, before reading (the file is sparse: nothing is written).
    @Test func fileOverTheSizeLimit() throws {
        let url = try Fixtures.file(named: "tokenizer.json", contents: Data())
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: url) }
            == "tokenizer.json: is 68157440 bytes, more than the limit of 67108864 bytes")
    }

    /// The other limits, made small so the files stay small: JSON values, merges, vocabulary entries.
    @Test func limitsOnCounts() throws {
        let gpt2 = try Fixtures.url("gpt2/tokenizer.json")
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: gpt2, limits: TokenizerLimits(maximumJSONValues: 1000)) }?
            .hasPrefix("tokenizer.json: invalid JSON: more than 1000 JSON values at byte ") == true)
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: gpt2, limits: TokenizerLimits(maximumMerges: 300)) }
            == "tokenizer.json: model.merges: 343 merges, more than the limit of 300")
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: gpt2, limits: TokenizerLimits(maximumVocabulary: 500)) }
            == "tokenizer.json: model.vocab: 600 tokens, more than the limit of 500")
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: gpt2, limits: TokenizerLimits(maximumFileBytes: 1000)) }
            == "tokenizer.json: is 27196 bytes, more than the limit of 1000 bytes")
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("bert_mlm/tokenizer.json"),
                                                         limits: TokenizerLimits(maximumAddedTokenScalars: 20)) }
            == "tokenizer.json: added_tokens: more than 20 characters in added tokens")
        let bert = try Fixtures.folder(copying: ["vocab.txt"], from: "bert_mlm")
        #expect(loadError { _ = try TokenizerLoader.load(folder: bert, limits: TokenizerLimits(maximumVocabulary: 999)) }
            == "vocab.txt: 1000 lines, more than the limit of 999 tokens")
        let files = try Fixtures.folder(copying: ["vocab.json", "merges.txt"], from: "gpt2")
        #expect(loadError { _ = try TokenizerLoader.load(folder: files, limits: TokenizerLimits(maximumMerges: 300)) }
            == "merges.txt: more than the limit of 300 merges")
    }

    /// Millions of merges at the real limit: refused from the count, in bounded time.
    @Test func millionsOfMerges() throws {
        var text = #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["#
        text += String(repeating: "\"a b\",", count: 2_000_001) + "\"a b\"]}}"
        let url = try Fixtures.file(named: "tokenizer.json", contents: Data(text.utf8))
        #expect(loadError { _ = try TokenizerLoader.load(tokenizerJSON: url) }
            == "tokenizer.json: model.merges: 2000002 merges, more than the limit of 2000000")
    }

    @Test func ggufArraysThatDisagree() {
        func gguf(_ tokens: [String], _ merges: [String], types: [Int]? = nil, bos: Int? = nil, addBOS: Bool = false) -> String? {
            loadError {
                _ = try TokenizerLoader.bytePairEncoding(ggufTokens: tokens, merges: merges, tokenTypes: types,
                                                         bosID: bos, eosID: nil, paddingID: nil, addBOS: addBOS)
            }
        }
        #expect(gguf(["a", "b"], [], types: [1]) == "GGUF metadata: tokenizer.ggml.token_type: 1 types for 2 tokens")
        #expect(gguf(["a", "b", "ab"], ["a c"]) == "GGUF metadata: tokenizer.ggml.merges[0]: names \"c\", which is not in the vocabulary")
        #expect(gguf(["a", "b", "ab"], ["ab"]) == "GGUF metadata: tokenizer.ggml.merges[0]: \"ab\" is not two tokens separated by a space")
        #expect(gguf(["a", "a"], []) == "GGUF metadata: tokenizer.ggml.tokens[1]: token \"a\" is listed twice (ids 0 and 1)")
        #expect(gguf(["a"], [], bos: 5) == "GGUF metadata: tokenizer.ggml.bos_token_id: 5 is outside 0..<1")
        #expect(gguf(["a"], [], addBOS: true) == "GGUF metadata: tokenizer.ggml.add_bos_token: is true but there is no bos_token_id")
    }
}
