import Foundation
import Testing
import TestSupport
@testable import FileFormats
@testable import ModelFiles

/// Every fixture (torch.onnx exports of GPT-2, Llama — both with external data —, BERT and a CNN, and the crafted
/// dtypes.onnx) and the real paraphrase-MiniLM-L3-v2 file, against what the `onnx` package reads from them: every
/// initializer's bytes (FNV-1a hash), small ones value by value, inputs and outputs with their symbolic shapes,
/// opsets, producer, op counts and the parameter total.
@Suite struct ONNXFixtureTests {
    static let fixtures = ["bert_mlm", "cnn_small", "gpt2", "llama", "dtypes"]

    @Test(arguments: fixtures)
    func readsWhatTheExporterStored(_ name: String) throws {
        let path = Fixtures.path("onnx/\(name).onnx")
        try check(path: path, expectation: ONNXExpectation(path: path + ".expect.json"))
    }

    @Test func realParaphraseMiniLMMatchesTheOnnxPackageQuickly() throws {
        guard let url = try RealModels.url(RealModels.paraphraseMiniLMONNX) else { return }
        // 69 MB: opening reads the protobuf structure and skips the raw_data (its speed is nnbench's to measure).
        let archive = try ModelFileReader.open(path: url.path)
        let expectation = try ONNXExpectation(path: Fixtures.path("onnx/paraphrase-MiniLM-L3-v2.onnx.expect.json"))
        #expect(archive.tensors.count == 53)
        #expect(expectation.parameterTotal == 17_241_984)
        #expect(archive.onnx?.opsetVersion() == 17)
        try check(path: url.path, expectation: expectation, archive: archive)
        // torch.onnx's scoped node names become the tree of scopes.
        let graph = try #require(archive.onnx?.graph)
        let tree = ONNXNodeTree(graph: graph)
        let query = try #require(tree.rows.first { row in
            row.nodeIndex.map { graph.nodes[$0].name == "/model/model.0/auto_model/encoder/layer.0/attention/self/query/MatMul" } ?? false
        })
        #expect(query.scopes == ["model", "model.0", "auto_model", "encoder", "layer.0", "attention", "self", "query"])
        #expect(query.label == "MatMul" && query.depth == 8)
        #expect(graph.nodes[query.nodeIndex!].inputs.count == 2)
        let layers = tree.rows.filter { $0.nodeIndex == nil && $0.depth == 4 && $0.scopes[3] == "encoder" }.map(\.label)
        #expect(layers == ["layer.0", "layer.1", "layer.2"])
        let summary = try ModelSummary(ModelLoader.load(url.path))
        #expect(summary.totalParameters == expectation.parameterTotal)
        #expect(summary.onnx?.inputs.map(ONNXExpectation.value) == expectation.inputs)
    }

    func check(path: String, expectation: ONNXExpectation, archive given: TensorArchive? = nil) throws {
        let archive = try given ?? ModelFileReader.open(path: path)
        #expect(archive.format == "onnx")
        let model = try #require(archive.onnx)
        #expect(model.irVersion == expectation.irVersion)
        #expect(model.producerName == expectation.producerName)
        #expect(model.producerVersion == expectation.producerVersion)
        #expect(model.opsetImports == expectation.opsets)
        #expect(model.graph.runtimeInputs.map(ONNXExpectation.value) == expectation.inputs)
        #expect(model.graph.outputs.map(ONNXExpectation.value) == expectation.outputs)
        #expect(model.graph.nodes.count == expectation.nodes)
        #expect(model.graph.opCounts == expectation.opCounts)
        #expect(model.graph.initializers.map(\.name) == expectation.initializers.map(\.name))
        #expect(model.graph.initializers.reduce(0) { $0 + $1.elementCount } == expectation.parameterTotal)

        for expected in expectation.initializers {
            let tensor = try #require(model.graph.initializers.first { $0.name == expected.name })
            #expect(tensor.dataType.name == expected.dtype, "\(expected.name)")
            #expect(tensor.dims == expected.dims, "\(expected.name)")
            guard let hash = expected.hash else {
                // A type nnview does not read: kept in the graph, left out of the tensors, refused by name.
                #expect(archive.tensor(named: expected.name) == nil, "\(expected.name)")
                #expect(throws: ModelFileError.self) { try tensor.record() }
                continue
            }
            let record = try #require(archive.tensor(named: expected.name), "\(expected.name)")
            #expect(record.shape == expected.dims, "\(expected.name)")
            let bytes = try record.rowMajorBytes()
            #expect(ONNXExpectation.fnv1a64(bytes.bytes) == hash, "\(expected.name): bytes differ from the onnx package's")
            if let values = expected.values {
                #expect(try record.floatValues(limit: 64).map(Double.init) == values.map { Double(Float($0)) },
                        "\(expected.name)")
            }
        }
    }
}
