import Foundation
import Testing
import NNCore
import NNModules
@testable import Architectures

/// The fixture models against what PyTorch/transformers computed on the same ids: logits, hidden states, the LM
/// loss, every parameter's gradient and each use of a tied parameter.
@Suite struct ReferenceModelTests {
    @Test(arguments: ["bert_mlm", "gpt2", "gpt2_hubkeys", "llama", "llama_tied", "qwen2", "mistral"])
    func forwardLossAndGradientsAgreeWithPyTorch(_ name: String) throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path(name))
        let expect = try ArchitectureFixtures.tensors(name + "/expect.safetensors")
        let run = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        expectClose(run.logits, expect["logits"], "\(name) logits")
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "\(name) last_hidden_state")

        let loss = try loaded.loss(logits: try #require(run.logits), labels: try #require(expect["labels"]))
        expectClose(try loss.reshape([1]), expect["loss"], "\(name) loss")
        try loss.backward()

        let parameters = loaded.model.namedParameters()
        let expectedGradients = expect.keys.filter { $0.hasPrefix("grad/") }
        #expect(Set(parameters.map { "grad/" + $0.name }) == Set(expectedGradients), "\(name): parameter names differ from transformers'")
        for parameter in parameters {
            expectClose(parameter.tensor?.grad, expect["grad/" + parameter.name], "\(name) grad/\(parameter.name)")
        }
        let uses = expect.keys.filter { $0.hasPrefix("use/") }
        for key in uses {
            let parts = key.dropFirst(4).split(separator: "/", maxSplits: 1).map(String.init)
            let tensor = try #require(parameters.first { $0.name == parts[0] }?.tensor, "\(key): no such parameter")
            let contribution = tensor.gradientContributions.first { $0.site == parts[1] }
            expectClose(contribution?.gradient, expect[key], "\(name) \(key)")
        }
        if ["bert_mlm", "gpt2", "gpt2_hubkeys", "llama_tied"].contains(name) {
            #expect(uses.count == 2, "\(name): the tied embedding's two uses")
        }
    }

    @Test func gpt2HeadIsTheTokenEmbeddingUnderBothNames() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("gpt2_hubkeys"))
        let model = loaded.model
        let names = model.stateDict().keys
        #expect(names.contains("transformer.wte.weight") && names.contains("lm_head.weight"))
        #expect(!model.namedParameters().map(\.name).contains("lm_head.weight"))
        #expect(try model.module(at: "lm_head")!.parameter("weight") === model.module(at: "transformer.wte")!.parameter("weight"))
        #expect(model.module(at: "transformer.h.0")?.typeName == "GPT2Block")
        #expect(model.module(at: "transformer.h.0.attn.c_attn")?.typeName == "Conv1D")
    }

    /// Qwen2 (q/k/v biases, one key/value head, tied) and Mistral (head_dim apart from the width, sliding window
    /// shorter than the texts) come from scripts/reference/transformer_variants.py.
    @Test func familyVariantsHaveTheirClassNamesAndFeatures() throws {
        let qwen = try TransformerLoader.load(path: ArchitectureFixtures.path("qwen2"))
        #expect(qwen.model.typeName == "Qwen2ForCausalLM")
        #expect(qwen.model.module(at: "model.layers.1.self_attn")?.typeName == "Qwen2Attention")
        #expect(qwen.model.module(at: "model.layers.1.self_attn.q_proj")?.parameterSlot("bias") != nil)
        #expect(qwen.model.module(at: "model.layers.1.self_attn.o_proj")?.parameterSlot("bias") == nil)
        #expect(qwen.config.tieWordEmbeddings)
        let mistral = try TransformerLoader.load(path: ArchitectureFixtures.path("mistral"))
        #expect(mistral.model.module(at: "model.norm")?.typeName == "MistralRMSNorm")
        #expect(mistral.config.slidingWindow == 5)
    }

    /// The base model alone (GPT2Model) from a head model's file: the `transformer.` prefix is stripped and the
    /// hidden states are the LM head's input PyTorch computed.
    @Test func baseModelFromAHeadModelsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arch-base-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: ArchitectureFixtures.path("gpt2/model.safetensors"), toPath: folder + "/model.safetensors")
        let config = try String(contentsOfFile: ArchitectureFixtures.path("gpt2/config.json"), encoding: .utf8)
        try config.replacingOccurrences(of: "\"GPT2LMHeadModel\"", with: "\"GPT2Model\"")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        let loaded = try TransformerLoader.load(path: folder)
        #expect(loaded.model.typeName == "GPT2Model" && loaded.task == .hiddenStates)
        #expect(loaded.model.namedParameters().first?.name == "wte.weight")
        let expect = try ArchitectureFixtures.tensors("gpt2/expect.safetensors")
        let run = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        #expect(run.logits == nil)
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "GPT2Model last_hidden_state")
    }

    @Test func moduleTypesAreTransformersClassNames() throws {
        let bert = try TransformerLoader.load(path: ArchitectureFixtures.path("bert_mlm")).model
        #expect(bert.typeName == "BertForMaskedLM")
        #expect(bert.module(at: "bert.encoder.layer.1")?.typeName == "BertLayer")
        #expect(bert.module(at: "bert.encoder.layer.1.attention.self")?.typeName == "BertSelfAttention")
        #expect(bert.module(at: "cls.predictions")?.typeName == "BertLMPredictionHead")
        // The decoder's bias is the head's `bias`: one parameter, listed once under its first name.
        #expect(try bert.module(at: "cls.predictions.decoder")!.parameter("bias") === bert.module(at: "cls.predictions")!.parameter("bias"))
        let llama = try TransformerLoader.load(path: ArchitectureFixtures.path("llama")).model
        #expect(llama.module(at: "model.layers.0")?.typeName == "LlamaDecoderLayer")
        #expect(llama.module(at: "model.layers.0.self_attn")?.typeName == "LlamaAttention")
        #expect(llama.module(at: "model.norm")?.typeName == "LlamaRMSNorm")
    }

    @Test func theForwardTraceRecordsEveryModuleCallWithItsPath() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("gpt2"))
        let expect = try ArchitectureFixtures.tensors("gpt2/expect.safetensors")
        _ = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        let trace = try #require(loaded.model.lastForward)
        #expect(trace.records.first?.path == "")
        #expect(trace.lastRecord(at: "transformer.h.1.attn")?.outputShape == [2, 39, 32])
        #expect(trace.lastRecord(at: "lm_head")?.outputShape == [2, 39, 600])
        #expect(trace.lastRecord(at: "")?.outputShape == [2, 39, 32])
    }

    @Test func singleTensorForwardTreatsTheInputAsIDs() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("llama_tied"))
        let expect = try ArchitectureFixtures.tensors("llama_tied/expect.safetensors")
        let ids = try #require(expect["input_ids"]).slice(dim: 0, start: 0, end: 1)
        let typed = try loaded.run(inputIDs: ids, attentionMask: nil)
        let logits = try loaded.model(ids)
        expectClose(logits, typed.logits, "forward(x) against the typed call", relative: 0, absolute: 0)
    }
}
