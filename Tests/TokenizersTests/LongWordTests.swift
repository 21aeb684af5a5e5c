import Foundation
import Testing
@testable import Tokenizers

/// Words of 10,000 scalars: BPE merges them through a heap (O(n log n), see BytePairModel) and must still give the
/// library's ids; WordPiece turns a word over 100 scalars into [UNK].
@Suite struct LongWordTests {
    struct File: Decodable {
        struct Row: Decodable { let ids: [Int] }
        let long_texts: [String]
        let expectations: [String: [Row]]
    }

    @Test(arguments: ["gpt2", "bert_mlm"])
    func longTextsMatchTheLibrary(folder: String) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("expectations.json")))
        let rows = try #require(file.expectations["long/\(folder)"])
        try #require(rows.count == file.long_texts.count)
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("\(folder)/tokenizer.json"))
        for (text, row) in zip(file.long_texts, rows) {
            #expect(try tokenizer.encode(text).ids == row.ids, "\(text.unicodeScalars.count) scalars: \(text.prefix(20))…")
        }
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
