import Foundation
import Testing
@testable import Tokenizers

/// Token ids, tokens and padding equal transformers' on each fixture's texts (expect.json), loading the folder as
/// nnview does (tokenizer.json preferred).
@Suite struct FixtureExpectationTests {
    @Test(arguments: ["bert_mlm", "gpt2", "llama", "llama_tied", "minilm"])
    func batchEqualsTransformers(folder: String) throws {
        let expected = try BatchExpectation.load("\(folder)/expect.json")
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.url(folder))
        let batch = try tokenizer.encodeBatch(expected.texts)
        #expect(batch.ids == expected.input_ids)
        #expect(batch.tokens == expected.tokens)
        if let mask = expected.attention_mask { #expect(batch.attentionMask == mask) }
    }

    @Test func bertPaddingAndSpecialTokens() throws {
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.url("bert_mlm"))
        #expect(tokenizer.paddingID == 0)
        #expect(tokenizer.specialTokenIDs == [0, 1, 2, 3, 4])
        #expect(tokenizer.vocabularySize == 1000)
        #expect(tokenizer.token(forID: 4) == "[MASK]")
        #expect(tokenizer.id(forToken: "[SEP]") == 3)
        #expect(tokenizer.token(forID: 1000) == nil)
        #expect(tokenizer.token(forID: -1) == nil)
    }

    @Test func gpt2PadsWithEndOfTextFromTheConfig() throws {
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.url("gpt2"))
        #expect(tokenizer.paddingID == 0)
        #expect(tokenizer.specialTokenIDs == [0])
        #expect(tokenizer.vocabularySize == 600)
        let batch = try tokenizer.encodeBatch(["a", "a b c"], paddingID: 7)
        #expect(batch.ids[0].dropFirst().allSatisfy { $0 == 7 })
        #expect(batch.attentionMask[0] == [1] + Array(repeating: 0, count: batch.ids[1].count - 1))
    }

    /// Without tokenizer_config.json the padding comes from tokenizer.json's padding section, if any.
    @Test func paddingWithoutTheConfig() throws {
        let gpt2 = try Fixtures.folder(copying: ["tokenizer.json"], from: "gpt2")
        #expect(try TokenizerLoader.load(folder: gpt2).paddingID == nil)
        let llama = try Fixtures.folder(copying: ["tokenizer.json"], from: "llama")
        #expect(try TokenizerLoader.load(folder: llama).paddingID == 0)
        let bert = try Fixtures.folder(copying: ["vocab.txt"], from: "bert_mlm")
        #expect(try TokenizerLoader.load(folder: bert).paddingID == 0)
    }

    /// Decoding gives readable text: GPT-2's bytes back to UTF-8, WordPiece's pieces joined.
    @Test func decodeGivesReadableText() throws {
        let gpt2 = try TokenizerLoader.load(folder: try Fixtures.url("gpt2"))
        let text = "Don't touch the café's naïve résumé — 42 times!"
        #expect(gpt2.decode(try gpt2.encode(text).ids) == text)
        let bert = try TokenizerLoader.load(folder: try Fixtures.url("bert_mlm"))
        #expect(bert.decode(try bert.encode("The licensee may copy it.").ids) == "[CLS] the licensee may copy it. [SEP]")
    }

    /// The real all-MiniLM-L6-v2 folder, when fetched (required under CI), gives the same ids as its copy here.
    @Test func realMiniLMFolder() throws {
        guard let folder = try RealModelsFolder.miniLM() else { return }
        let expected = try BatchExpectation.load("minilm/expect.json")
        let batch = try TokenizerLoader.load(folder: folder).encodeBatch(expected.texts)
        #expect(batch.ids == expected.input_ids)
        #expect(batch.tokens == expected.tokens)
    }
}
