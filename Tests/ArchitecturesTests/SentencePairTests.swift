import Foundation
import Testing
import NNCore
import NNModules
import TestSupport
import Tokenizers
@testable import Architectures

/// Pairs of texts through BERT: the tokenizer's pair template gives `token_type_ids`, and BertModel adds the
/// second sentence's token-type embedding, as transformers does (bert_mlm/pairs.safetensors and
/// real/minilm_pairs.safetensors, written by scripts/reference/pair_expectations.py).
@Suite struct SentencePairTests {
    static let bertPairs = [("The licensee may [MASK] the program.", "You must give any other recipients a copy."),
                            ("the program", "a [MASK] of this License.")]

    @Test func bertOnPairsGivesTransformersOutputs() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("bert_mlm"))
        let expect = try ArchitectureFixtures.tensors("bert_mlm/pairs.safetensors")
        let batch = try loaded.tokenizer().encodeBatch(Self.bertPairs.map(\.0), pairs: Self.bertPairs.map(\.1))
        let ids = try #require(expect["input_ids"]), types = try #require(expect["token_type_ids"])
        #expect(batch.ids.flatMap { $0.map(Float.init) } == ids.toArray())
        #expect(batch.tokenTypeIDs.flatMap { $0.map(Float.init) } == types.toArray())
        #expect(types.toArray().contains(1))
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: ids, attentionMask: expect["attention_mask"], tokenTypeIDs: types)
        }
        expectClose(run.logits, expect["logits"], "bert_mlm pair logits")
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "bert_mlm pair last_hidden_state")
        // The token types matter: without them the hidden states differ from transformers'.
        let untyped = try Autograd.noGrad { try loaded.run(inputIDs: ids, attentionMask: expect["attention_mask"]) }
        let difference = zip(untyped.lastHiddenState.toArray(), try #require(expect["last_hidden_state"]).toArray())
            .map { abs($0 - $1) }.max() ?? 0
        #expect(difference > 1e-3)
    }

    @Test func realMiniLMOnPairs() throws {
        guard let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let loaded = try TransformerLoader.load(path: folder.path)
        let expect = try ArchitectureFixtures.tensors("real/minilm_pairs.safetensors")
        let pairs = [("A man is eating food.", "A man is eating a piece of bread."),
                     ("The new movie is awesome", "The cat sits outside")]
        let batch = try loaded.tokenizer().encodeBatch(pairs.map(\.0), pairs: pairs.map(\.1))
        #expect(batch.tokenTypeIDs.flatMap { $0.map(Float.init) } == expect["token_type_ids"]?.toArray())
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"],
                           tokenTypeIDs: expect["token_type_ids"])
        }
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "MiniLM pair last_hidden_state")
    }

    @Test func tokenTypesAreCheckedInOneLine() throws {
        let bert = try TransformerLoader.load(path: ArchitectureFixtures.path("bert_mlm"))
        let ids = try Tensor([2, 114, 3], shape: [1, 3])
        #expect(throws: ModuleError.self) { try bert.run(inputIDs: ids, attentionMask: nil, tokenTypeIDs: try Tensor([0, 2, 1], shape: [1, 3])) }
        #expect(throws: ModuleError.self) { try bert.run(inputIDs: ids, attentionMask: nil, tokenTypeIDs: try Tensor([0, 1], shape: [1, 2])) }
        do {
            _ = try bert.run(inputIDs: ids, attentionMask: nil, tokenTypeIDs: try Tensor([0, 2, 1], shape: [1, 3]))
        } catch {
            #expect("\(error)".contains("token type id 2.0 is outside 0..<2 (type_vocab_size)"))
        }
        // GPT-2 has no token-type embedding: zeros are fine, anything else is refused.
        let gpt2 = try TransformerLoader.load(path: ArchitectureFixtures.path("gpt2"))
        let gptIDs = try Tensor([40, 69, 397], shape: [1, 3])
        _ = try Autograd.noGrad { try gpt2.run(inputIDs: gptIDs, attentionMask: nil, tokenTypeIDs: Tensor.zeros([1, 3])) }
        #expect(throws: ModuleError.self) {
            try gpt2.run(inputIDs: gptIDs, attentionMask: nil, tokenTypeIDs: try Tensor([0, 1, 1], shape: [1, 3]))
        }
    }
}
