import Testing
import NNCore
@testable import Architectures

/// llama.cpp-converted files (Q and K permuted, F32 and Q8_0, tied and untied) against PyTorch's logits from the
/// files' own dequantised weights.
@Suite struct GGUFModelTests {
    @Test(arguments: ["llama.f32", "llama.q8_0", "llama_tied.f32", "llama_tied.q8_0"])
    func logitsAgreeWithPyTorch(_ name: String) throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path(name + ".gguf"))
        let expect = try ArchitectureFixtures.tensors(name + ".expect.safetensors")
        let run = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        expectClose(run.logits, expect["logits"], "\(name) logits")
        #expect(loaded.config.tieWordEmbeddings == name.hasPrefix("llama_tied"))
        #expect(loaded.model.namedParameters().map(\.name).contains("lm_head.weight") == !name.hasPrefix("llama_tied"))
    }
}
