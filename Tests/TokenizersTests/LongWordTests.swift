import Foundation
import Testing
@testable import Tokenizers

/// Words of 10,000 scalars: BPE merges them through a heap (O(n log n), see BytePairModel) and must still give the
/// library's ids; WordPiece turns a word over 100 scalars into [UNK].
@Suite struct LongWordTests {
    struct File: Decodable {
        let long_texts: [String]
        let long: [String: [[Int]]]
    }

    @Test(arguments: ["gpt2", "bert_mlm"])
    func longTextsMatchTheLibrary(folder: String) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("expectations.json")))
        let rows = try #require(file.long[folder])
        try #require(rows.count == file.long_texts.count)
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("\(folder)/tokenizer.json"))
        for (text, row) in zip(file.long_texts, rows) {
            #expect(try tokenizer.encode(text).ids == row, "\(text.unicodeScalars.count) scalars: \(text.prefix(20))…")
        }
    }

    /// A hostile max_input_chars_per_word lets a 10,000-scalar word reach WordPiece's search, which tries only
    /// ends within the longest token's length of each start: the word still gets the library's [UNK].
    @Test func wordPieceLongWordWithoutTheCharacterLimit() throws {
        let json = ###"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "ab": 1, "##ab": 2, "##a": 3},"###
            + ###" "max_input_chars_per_word": 2000000000}, "pre_tokenizer": {"type": "WhitespaceSplit"}}"###
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.file(named: "tokenizer.json", contents: Data(json.utf8)))
        #expect(try tokenizer.encode(String(repeating: "ab", count: 5000)).ids == [1] + Array(repeating: 2, count: 4999))
        #expect(try tokenizer.encode(String(repeating: "ab", count: 5000) + "c").ids == [0])
        #expect(try tokenizer.encode("aba").ids == [1, 3])
    }

    /// Merges at both ends of a long word and in its middle all happen: "the" repeated merges into whole "the"
    /// tokens, whatever the order the heap pops them in.
    @Test func repeatedWordMergesEverywhere() throws {
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("gpt2/tokenizer.json"))
        let the = try #require(tokenizer.id(forToken: "the"))
        let ids = try tokenizer.encode(String(repeating: "the", count: 3000)).ids
        #expect(ids == Array(repeating: the, count: 3000))
    }
}

/// 400 texts of random pieces (whitespace of every kind, accents in both forms, marks, CJK, emoji, contractions,
/// control characters, special-token fragments) give transformers' ids with every fixture tokenizer.
@Suite struct RandomTextTests {
    struct File: Decodable {
        let random_texts: [String]
        let random: [String: [[Int]]]
    }

    @Test(arguments: ["bert_mlm", "gpt2", "llama", "minilm"])
    func randomTextsMatchTransformers(folder: String) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("expectations.json")))
        let rows = try #require(file.random[folder])
        try #require(rows.count == file.random_texts.count)
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.url(folder))
        for (text, ids) in zip(file.random_texts, rows) {
            #expect(try tokenizer.encode(text).ids == ids, "ids of \(text.debugDescription)")
        }
    }
}
