import Foundation
import Testing
import NNCore
import TestSupport
@testable import Architectures

/// The real all-MiniLM-L6-v2 sentence-transformers folder against sentence-transformers' own output.
@Suite struct RealMiniLMTests {
    @Test func hiddenStatesAndSentenceEmbeddingsAgree() throws {
        guard let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let loaded = try TransformerLoader.load(path: folder.path)
        #expect(loaded.task == .sentenceEmbedding)
        #expect(loaded.pooling == SentencePooling(mode: .mean, normalize: true, transformerPath: ""))
        let expect = try ArchitectureFixtures.tensors("real/minilm.expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "MiniLM last_hidden_state")
        expectClose(run.sentenceEmbedding, expect["sentence_embedding"], "MiniLM sentence_embedding")
    }
}
