import Foundation
import Testing
@testable import Tokenizers

/// "é" as U+00E9 and as U+0065 U+0301 are equal Swift Strings but different tokens: vocabularies are keyed by
/// bytes, so each keeps its own id.
@Suite struct CanonicalEquivalenceTests {
    let precomposed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"

    @Test func theTwoSpellingsAreEqualStrings() {
        #expect(precomposed == decomposed)
        #expect(Array(precomposed.utf8) != Array(decomposed.utf8))
    }

    @Test func wordPieceKeepsBothIDs() throws {
        let json = #"""
        {"model": {"type": "WordPiece", "unk_token": "[UNK]",
                   "vocab": {"[UNK]": 0, "caf\u00e9": 1, "cafe\u0301": 2}},
         "pre_tokenizer": {"type": "WhitespaceSplit"}}
        """#
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.file(named: "tokenizer.json", contents: Data(json.utf8)))
        #expect(try tokenizer.encode(precomposed).ids == [1])
        #expect(try tokenizer.encode(decomposed).ids == [2])
        #expect(tokenizer.id(forToken: precomposed) == 1)
        #expect(tokenizer.id(forToken: decomposed) == 2)
        #expect(tokenizer.token(forID: 1).map { Array($0.utf8) } == Array(precomposed.utf8))
        #expect(tokenizer.token(forID: 2).map { Array($0.utf8) } == Array(decomposed.utf8))
        #expect(tokenizer.vocabularySize == 3)
    }

    @Test func bytePairKeepsBothIDs() throws {
        let json = #"""
        {"model": {"type": "BPE", "vocab": {"e": 0, "\u0301": 1, "\u00e9": 2, "e\u0301": 3},
                   "merges": [["e", "\u0301"]]},
         "pre_tokenizer": {"type": "WhitespaceSplit"}}
        """#
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.file(named: "tokenizer.json", contents: Data(json.utf8)))
        #expect(try tokenizer.encode("\u{E9}").ids == [2])
        #expect(try tokenizer.encode("e\u{301}").ids == [3])
        #expect(try tokenizer.encode("e\u{301} \u{E9}").tokens.map { Array($0.unicodeScalars) } == [["e", "\u{301}"], ["\u{E9}"]])
    }

    @Test func vocabTextKeepsBothIDs() throws {
        let folder = try Fixtures.file(named: "vocab.txt", contents: Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n\(precomposed)\n\(decomposed)\n".utf8))
            .deletingLastPathComponent()
        // BERT's defaults strip accents, so both spellings of the text become "cafe"; the vocabulary still has both.
        let tokenizer = try TokenizerLoader.load(folder: folder)
        #expect(tokenizer.id(forToken: precomposed) == 4)
        #expect(tokenizer.id(forToken: decomposed) == 5)
    }

    @Test func ggufKeepsBothIDs() throws {
        let tokenizer = try TokenizerLoader.bytePairEncoding(
            ggufTokens: ["a", precomposed, decomposed], merges: [], tokenTypes: nil, bosID: nil, eosID: nil,
            paddingID: nil, addBOS: false)
        #expect(tokenizer.id(forToken: precomposed) == 1)
        #expect(tokenizer.id(forToken: decomposed) == 2)
    }
}
