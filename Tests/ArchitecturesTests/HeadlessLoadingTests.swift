import Foundation
import Testing
import ModelFiles
import NNCore
import NNModules
import TestSupport
@testable import Architectures

/// A model read from a file that holds more than it has a place for, as transformers' `from_pretrained` reads it:
/// a base model from a task model's file leaves the head out, and a BertForMaskedLM from BERT's pre-training file
/// (bert-base-uncased's layout: pooler and next-sentence head beside the MLM head) leaves the pooler and the NSP
/// head out. What is left out is listed; any other unknown tensor is still refused.
@Suite struct HeadlessLoadingTests {
    /// A scratch copy of fixture `name` whose config.json names `architecture`, with `extra` tensors added to its
    /// weights.
    static func folder(from name: String, architecture: String? = nil, extra: [(String, Tensor)] = []) throws -> String {
        let folder = try ScratchSpace.folder("headless").path
        let source = ArchitectureFixtures.path(name)
        var config = try String(contentsOfFile: source + "/config.json", encoding: .utf8)
        if let architecture {
            config = config.replacing(#/"architectures": \[\s*"[A-Za-z0-9]+"\s*\]/#,
                                      with: "\"architectures\": [\"\(architecture)\"]")
        }
        try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        var entries = try ArchitectureFixtures.tensors(name + "/model.safetensors").sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        entries += extra
        try SafeTensorsWriter.write(stateDict: StateDict(entries), to: folder + "/model.safetensors")
        return folder
    }

    @Test func llamaModelFromACausalLMFileLeavesTheHeadOut() throws {
        let loaded = try TransformerLoader.load(path: try Self.folder(from: "llama", architecture: "LlamaModel"))
        #expect(loaded.model.typeName == "LlamaModel")
        #expect(loaded.ignoredTensors == ["lm_head.weight"])
        #expect(loaded.ignoredTensorsNote?.contains("1 tensor of the file (lm_head.weight)") == true)
        let expect = try ArchitectureFixtures.tensors("llama/expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "LlamaModel last_hidden_state")
    }

    @Test func bertModelFromAMaskedLMFileLeavesTheMLMHeadOut() throws {
        let loaded = try TransformerLoader.load(path: try Self.folder(from: "bert_mlm", architecture: "BertModel"))
        #expect(loaded.model.typeName == "BertModel")
        #expect(!loaded.ignoredTensors.isEmpty && loaded.ignoredTensors.allSatisfy { $0.hasPrefix("cls.") })
        let expect = try ArchitectureFixtures.tensors("bert_mlm/expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "BertModel last_hidden_state")
    }

    @Test func maskedLMFromAPreTrainingFileLeavesThePoolerAndNSPHeadOut() throws {
        let extra: [(String, Tensor)] = [
            ("bert.pooler.dense.weight", Tensor.rand([32, 32])), ("bert.pooler.dense.bias", Tensor.rand([32])),
            ("cls.seq_relationship.weight", Tensor.rand([2, 32])), ("cls.seq_relationship.bias", Tensor.rand([2])),
        ]
        let loaded = try TransformerLoader.load(path: try Self.folder(from: "bert_mlm", extra: extra))
        #expect(loaded.model.typeName == "BertForMaskedLM")
        #expect(Set(loaded.ignoredTensors) == Set(extra.map(\.0).filter { !$0.hasPrefix("cls.predictions") }))
        let expect = try ArchitectureFixtures.tensors("bert_mlm/expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.logits, expect["logits"], "BertForMaskedLM logits")
    }

    /// bert-base-uncased's files still name LayerNorm parameters `gamma` and `beta`, as TensorFlow did; transformers
    /// loads them as `weight` and `bias`, and so does nnview.
    @Test func tensorFlowEraLayerNormNamesLoad() throws {
        let folder = try ScratchSpace.folder("gamma").path
        let source = ArchitectureFixtures.path("bert_mlm")
        try FileManager.default.copyItem(atPath: source + "/config.json", toPath: folder + "/config.json")
        let renamed = try ArchitectureFixtures.tensors("bert_mlm/model.safetensors").sorted { $0.key < $1.key }.map { name, tensor in
            (name.hasSuffix("LayerNorm.weight") ? String(name.dropLast("weight".count)) + "gamma"
                : name.hasSuffix("LayerNorm.bias") ? String(name.dropLast("bias".count)) + "beta" : name, tensor)
        }
        #expect(renamed.contains { $0.0 == "bert.embeddings.LayerNorm.gamma" })
        try SafeTensorsWriter.write(stateDict: StateDict(renamed), to: folder + "/model.safetensors")
        let loaded = try TransformerLoader.load(path: folder)
        #expect(loaded.ignoredTensors.isEmpty)
        let expect = try ArchitectureFixtures.tensors("bert_mlm/expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.logits, expect["logits"], "BertForMaskedLM logits from gamma/beta names")
    }

    @Test func otherUnknownTensorsAreStillRefused() throws {
        let folder = try Self.folder(from: "gpt2", extra: [("transformer.h.0.mlp.extra.weight", Tensor.rand([2]))])
        #expect(throws: ModelFileError.self) { try TransformerLoader.load(path: folder) }
        // A model that uses every tensor leaves nothing out and has no note.
        let llama = try Self.folder(from: "llama", extra: [])
        let loaded = try TransformerLoader.load(path: llama)
        #expect(loaded.ignoredTensors.isEmpty && loaded.ignoredTensorsNote == nil)
    }
}
