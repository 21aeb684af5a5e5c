import Foundation
import Testing
import FileFormats
@testable import Tokenizers

/// A Llama-style SentencePiece BPE vocabulary in GGUF (`tokenizer.ggml.model` = llama: pieces, scores, types) gives
/// the sentencepiece library's own ids and decoded text (Fixtures/spm, trained and written by
/// scripts/reference/sentencepiece_gguf.py): spaces as `▁` with a prefix, joins by piece score, BOS in front.
@Suite struct SentencePieceGGUFTests {
    struct Row: Decodable {
        let ids: [Int]
        let decoded: String
    }

    struct Expectations: Decodable {
        let texts: [String]
        let rows: [Row]
    }

    static func tokenizer() throws -> any Tokenizer {
        let path = try Fixtures.url("spm/tokenizer.gguf").path
        let arrays = try GGUFReader.arrays(buffer: try ByteBuffer.map(path: path), source: path,
                                           keys: ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"])
        return try TokenizerLoader.sentencePiece(
            ggufTokens: try #require(arrays.strings["tokenizer.ggml.tokens"]),
            scores: try #require(arrays.floats["tokenizer.ggml.scores"]),
            tokenTypes: arrays.integers["tokenizer.ggml.token_type"], bosID: 1, eosID: 2, unknownID: 0, paddingID: nil,
            addBOS: true, addSpacePrefix: true)
    }

    @Test func idsAndDecodingAreSentencePieces() throws {
        let expectations = try JSONDecoder().decode(Expectations.self, from: Data(contentsOf: try Fixtures.url("spm/expect.json")))
        let tokenizer = try Self.tokenizer()
        #expect(expectations.texts.count == expectations.rows.count && expectations.texts.count >= 15)
        for (text, row) in zip(expectations.texts, expectations.rows) {
            let encoding = try tokenizer.encode(text)
            #expect(encoding.ids == row.ids, "ids of \(text.debugDescription)")
            #expect(tokenizer.decode(Array(encoding.ids.dropFirst())) == row.decoded, "decoding of \(text.debugDescription)")
        }
    }

    @Test func charactersWithoutAPieceFallBackToBytes() throws {
        let tokenizer = try Self.tokenizer()
        // A character the tiny vocabulary surely lacks becomes its UTF-8 bytes as <0xAB> pieces, and decodes back.
        let encoding = try tokenizer.encode("ꙮ")
        #expect(encoding.tokens.contains("<0xEA>"), "\(encoding.tokens)")
        #expect(tokenizer.decode(Array(encoding.ids.dropFirst())) == "ꙮ")
    }

    @Test func inconsistentArraysAreOneLine() throws {
        #expect(throws: TokenizerError.self) {
            try TokenizerLoader.sentencePiece(ggufTokens: ["<unk>", "a"], scores: [0], tokenTypes: nil, bosID: nil, eosID: nil,
                                              unknownID: 0, paddingID: nil, addBOS: false, addSpacePrefix: true)
        }
        #expect(throws: TokenizerError.self) {
            try TokenizerLoader.sentencePiece(ggufTokens: ["<unk>", "a"], scores: [0, .nan], tokenTypes: nil, bosID: nil,
                                              eosID: nil, unknownID: 0, paddingID: nil, addBOS: false, addSpacePrefix: true)
        }
    }
}
