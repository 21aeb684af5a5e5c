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

    /// A Qwen2 GGUF (architecture `qwen2`: q/k/v biases, Q and K not permuted, tied embedding) as llama.cpp's
    /// converter writes it (scripts/reference/gguf_qwen2.py): transformers' logits on the same weights.
    @Test func qwen2FileGivesTransformersLogits() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("qwen2.f32.gguf"))
        #expect(loaded.model.typeName == "Qwen2ForCausalLM")
        #expect(loaded.model.module(at: "model.layers.0.self_attn.q_proj")?.parameterSlot("bias") != nil)
        #expect(loaded.config.tieWordEmbeddings)
        let expect = try ArchitectureFixtures.tensors("qwen2.f32.expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.logits, expect["logits"], "qwen2 GGUF logits")
    }
}
