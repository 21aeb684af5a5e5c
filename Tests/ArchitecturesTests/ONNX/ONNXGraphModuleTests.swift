import Foundation
import ModelFiles
import NNCore
import Testing
@testable import Architectures

/// The interpreted graph as a module: its parameter tree, per-node gradient contributions, and a whole run as
/// `nnview run FILE.onnx` writes it.
@Suite struct ONNXGraphModuleTests {
    let bert: ONNXGraphModule

    init() throws {
        bert = try ONNXGraphModule(path: Fixtures.path("onnx/bert_mlm.onnx"))
    }

    @Test func floatInitializersAreParametersAtTheirDottedNames() throws {
        let floatNames = bert.model.graph.initializers.map(\.name).filter { bert.initializer($0) != nil }
        // The tree lists the root's own parameters (val_56, …) before the scopes' (PyTorch's order).
        #expect(bert.namedParameters().map(\.name).sorted() == floatNames.sorted())
        #expect(floatNames.count == 26)
        #expect(bert.module(at: "m.bert.embeddings.LayerNorm") is ONNXScope)
        let weight = try #require(bert.initializer("m.bert.embeddings.LayerNorm.weight"))
        #expect(try bert.module(at: "m.bert.embeddings.LayerNorm")?.parameter("weight") === weight)
        // Integer initializers (shapes, position ids) are constants, not parameters.
        #expect(bert.initializer("val_63") == nil)
        #expect(bert.integerInitializers["val_63"]?.shape == [4])
    }

    @Test func anInitializerReadByManyNodesGetsOneContributionPerNode() throws {
        let outputs = try bert.run(try ONNXReference.inputs(Fixtures.path("onnx/bert_mlm.input.safetensors")))
        try outputs["output"]!.floatTensor.sum().backward()
        // The exporter merged every zero bias of width 32 (and the embeddings' LayerNorm bias) into one initializer.
        let bias = try #require(bert.initializer("m.bert.embeddings.LayerNorm.bias"))
        let readers = bert.model.graph.nodes.indices.filter { bert.model.graph.nodes[$0].inputs.contains("m.bert.embeddings.LayerNorm.bias") }
        let sites = bias.gradientContributions
        #expect(sites.map(\.site) == readers.map { bert.useSite(ofNodeAt: $0) })
        var total = [Float](repeating: 0, count: 32)
        for site in sites { total = zip(total, site.gradient.toArray()).map { $0 + $1 } }
        let grad = try #require(bias.grad).toArray()
        #expect(zip(total, grad).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($1)) })
    }

    @Test func aRunWritesOutputsAndTheGradientOfEveryFloatInitializer() throws {
        let result = try bert.run(inputFile: Fixtures.path("onnx/bert_mlm.input.safetensors"), backwardOutput: "output")
        #expect(result.outputs.map(\.name) == ["output"])
        #expect(result.gradients.map(\.name) == bert.model.graph.initializers.map(\.name)
            .filter { bert.initializer($0) != nil }.map { "grad/" + $0 })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-run-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensorsWriter.write(tensors: result.safeTensorsEntries, to: path)
        let written = try ONNXReference.tensors(path)
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/bert_mlm.expect.safetensors"))
        try ONNXReference.expectClose(try #require(written["output"]), try #require(expect["output"]), what: "written output")
        // A merged initializer's written gradient is its total over every reading node.
        let bias = try #require(written["grad/m.bert.embeddings.LayerNorm.bias"])
        try ONNXReference.expectClose(bias, .float(try #require(bert.initializer("m.bert.embeddings.LayerNorm.bias")?.grad)),
                                      what: "written gradient")
        #expect(throws: ONNXRunError.self) { try bert.run(inputFile: Fixtures.path("onnx/bert_mlm.input.safetensors"), backwardOutput: "logits") }
    }

    @Test func missingAndMisshapenInputsAreRefusedByName() throws {
        let ids = IntegerTensor(shape: [2, 14], values: [Int](repeating: 1, count: 28))
        #expect(throws: ONNXRunError.self) { try bert.run(["input_ids": .integer(ids)]) }
        let short = IntegerTensor(shape: [2, 13], values: [Int](repeating: 1, count: 26))
        #expect(throws: ONNXRunError.self) { try bert.run(["input_ids": .integer(short), "attention_mask": .integer(short)]) }
        do {
            _ = try bert.run(["input_ids": .integer(ids)])
        } catch {
            #expect("\(error)" == "input \"attention_mask\" (INT64 [2, 14]) is missing")
        }
    }
}
