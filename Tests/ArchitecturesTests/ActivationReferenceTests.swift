import ModelFiles
import Testing
import NNCore
import NNModules
@testable import Architectures

/// Activation capture on the fixture transformers against PyTorch: each block's and the final norm's output and
/// its gradient (forward hooks + retain_grad) and every attention module's probabilities (output_attentions=True).
@Suite struct ActivationReferenceTests {
    @Test(arguments: ["bert_mlm", "gpt2", "gpt2_hubkeys", "llama", "llama_tied"])
    func capturedActivationsGradientsAndAttentionAgreeWithPyTorch(_ name: String) throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path(name))
        let expect = try ArchitectureFixtures.tensors(name + "/expect.safetensors")
        let capture = try ActivationCapture()
        loaded.model.activationCapture = capture
        let run = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        try loaded.loss(logits: try #require(run.logits), labels: try #require(expect["labels"])).backward()

        #expect(capture.isComplete, "\(capture.summary)")
        let captured = Dictionary(capture.namedTensors().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        let expectedKeys = expect.keys.filter { $0.hasPrefix("act/") || $0.hasPrefix("actgrad/") || $0.hasPrefix("attn/") }
        #expect(expectedKeys.filter { $0.hasPrefix("attn/") }.count == loaded.config.layerCount)
        #expect(expectedKeys.filter { $0.hasPrefix("actgrad/") }.count >= loaded.config.layerCount)
        for key in expectedKeys.sorted() {
            expectClose(captured[key], expect[key], "\(name) \(key)")
        }
        // Every attention module's map is there, with its head count; nothing else is under attn/.
        let attention = capture.attentionMaps
        #expect(Set(attention.map { "attn/" + $0.path }) == Set(expectedKeys.filter { $0.hasPrefix("attn/") }))
        #expect(attention.allSatisfy { $0.headCount == loaded.config.headCount && $0.callNumber == 1 })
    }

    /// Every module of the tree is called once in a transformer's forward pass (ModuleLists aside), so it has
    /// one record, whose output shape the forward trace agrees with.
    @Test func everyCalledModuleHasOneRecordMatchingTheTrace() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("llama_tied"))
        let expect = try ArchitectureFixtures.tensors("llama_tied/expect.safetensors")
        let capture = try ActivationCapture()
        loaded.model.activationCapture = capture
        _ = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        let trace = try #require(loaded.model.lastForward)
        #expect(capture.records.count == trace.records.count)
        for record in capture.records {
            #expect(trace.lastRecord(at: record.path)?.outputShape == record.output.shape, "\(record.path)")
        }
        #expect(capture.records(at: "model.layers.1.self_attn.q_proj").first?.typeName == "Linear")
        #expect(capture.records(at: "model.norm").first?.typeName == "LlamaRMSNorm")
    }

    /// A budget smaller than the model's activations: the run still gives PyTorch's logits and loss, and the
    /// capture names where it stopped.
    @Test func aTooSmallBudgetStopsTheCaptureButNotTheModel() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("gpt2"))
        let expect = try ArchitectureFixtures.tensors("gpt2/expect.safetensors")
        let capture = try ActivationCapture(budgetBytes: 64 << 10)
        loaded.model.activationCapture = capture
        let run = try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        expectClose(run.logits, expect["logits"], "gpt2 logits under a small capture budget")
        let refusal = try #require(capture.refusal)
        #expect(refusal.message.contains("64 KiB budget") && refusal.message.contains("call 1 at transformer."), "\(refusal.message)")
        #expect(capture.keptBytes <= 64 << 10 && !capture.records.isEmpty && capture.refusedCount > 0)
    }

    /// torchvision's CNNs through the library (no `nnview run` path for images yet): module outputs and their
    /// gradients of a cross-entropy loss under torchvision's paths (`features.3`, `layer3.1`), from
    /// scripts/reference/vision_activations.py with vision_architectures.py's formula weights.
    @Test(arguments: [VisionArchitectureName.mobilenetV2, .resnet18])
    func torchvisionModuleOutputsAndGradientsAgree(_ name: VisionArchitectureName) throws {
        let reference = try ModelFileReader.open(path: Fixtures.path("vision_activations.safetensors")).stateDict()
        let input = try #require(try ModelFileReader.open(path: Fixtures.path("vision_logits.safetensors")).stateDict()["input"])
        let model = try VisionArchitecture.build(name)
        try VisionArchitectureTests.loadFormulaWeights(into: model)
        model.eval()
        let capture = try ActivationCapture()
        model.activationCapture = capture
        let loss = try crossEntropy(logits: model(input), targets: Tensor([3]))
        expectClose(try loss.reshape([1]), reference["\(name.rawValue)/loss"], "\(name) loss")
        try loss.backward()
        let captured = Dictionary(capture.namedTensors().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        let prefix = name.rawValue + "/"
        let keys = reference.keys.filter { $0.hasPrefix(prefix + "act") }
        #expect(keys.count == 10)
        for key in keys.sorted() {
            expectClose(captured[String(key.dropFirst(prefix.count))], reference[key], "\(key)")
        }
    }
}
