import Foundation
import ModelFiles
import NNCore
import Testing
import TestSupport
@testable import Architectures

/// The fixture exports (torch.onnx dynamo exporter, opset 18) run by the interpreter: every graph output agrees
/// with onnxruntime's, and d sum(output)/d INIT with PyTorch's gradient of the parameter INIT holds.
@Suite struct ONNXFixtureTests {
    @Test(arguments: ["gpt2", "llama", "bert_mlm", "cnn_small"])
    func outputsAndGradientsMatchTheReferences(name: String) throws {
        let graph = try ONNXGraphModule(path: Fixtures.path("onnx/\(name).onnx"))
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/\(name).expect.safetensors"))
        let outputs = try graph.run(try ONNXReference.inputs(Fixtures.path("onnx/\(name).input.safetensors")))
        for outputName in graph.outputNames {
            let expected = try #require(expect[outputName], "no reference for output \(outputName)")
            try ONNXReference.expectClose(try #require(outputs[outputName]), expected, what: "\(name) \(outputName)")
        }
        let output = try #require(outputs["output"]).floatTensor
        try output.sum().backward()
        let gradients = expect.keys.filter { $0.hasPrefix("grad/") }.sorted()
        #expect(!gradients.isEmpty)
        for key in gradients {
            let initializer = String(key.dropFirst("grad/".count))
            let parameter = try #require(graph.initializer(initializer), "no float initializer \(initializer)")
            let sites = parameter.gradientContributions
            // The exporter merges initializers with equal values (every zero bias of a layer width, every
            // LayerNorm weight of ones) into one, read by several nodes; PyTorch's parameter is the first reader.
            var gradient = try #require(sites.count == 1 ? parameter.grad : sites.first?.gradient,
                                        "\(initializer) got no gradient").toArray()
            if let row = Self.paddingRows[name]?[initializer] {
                let width = parameter.shape[1]
                for i in row * width ..< (row + 1) * width { gradient[i] = 0 }
            }
            // Gradients sum tens of thousands of float32 terms in another order than PyTorch: compared to 1e-4
            // of the tensor's largest gradient (plus 1e-5).
            try ONNXReference.expectClose(.float(Tensor(gradient, shape: parameter.shape)), try #require(expect[key]),
                                          what: "\(name) \(key)", relativeToLargest: true)
        }
    }

    /// The llama fixture as the older TorchScript exporter writes it (opset 14: Shape/Gather/Concat shape
    /// arithmetic, Constant nodes, rotary tables from Range/Cos/Sin in the graph, symbolic batch and sequence):
    /// onnxruntime's output, and a gradient for every float initializer.
    @Test func olderExporterLlamaMatchesOnnxruntime() throws {
        let graph = try ONNXGraphModule(path: Fixtures.path("onnx/llama_legacy14.onnx"))
        let outputs = try graph.run(try ONNXReference.inputs(Fixtures.path("onnx/llama_legacy14.input.safetensors")))
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/llama_legacy14.expect.safetensors"))
        try ONNXReference.expectClose(try #require(outputs["output"]), try #require(expect["output"]), what: "llama_legacy14")
        try outputs["output"]!.floatTensor.sum().backward()
        #expect(graph.initializers.filter { $0.value.grad == nil }.map(\.key) == [])
        #expect(graph.initializers.values.allSatisfy { $0.grad!.toArray().allSatisfy(\.isFinite) })
    }

    /// Embedding rows PyTorch's `padding_idx` keeps at zero gradient (llama's pad_token_id 0): the ONNX graph's
    /// Gather has no such exception, so d sum(output)/d INIT of that row is not zero there.
    static let paddingRows: [String: [String: Int]] = ["llama": ["m.model.embed_tokens.weight": 0]]

    /// The real paraphrase-MiniLM-L3-v2 file (opset 17, the older exporter: Shape/Gather/Concat shape arithmetic,
    /// Constant nodes, scoped names) gives onnxruntime's four outputs.
    @Test func realParaphraseMiniLMMatchesOnnxruntime() throws {
        guard let url = try RealModels.url(RealModels.paraphraseMiniLMONNX) else { return }
        let clock = ContinuousClock()
        let start = clock.now
        let graph = try ONNXGraphModule(path: url.path)
        let loaded = clock.now
        let outputs = try graph.run(try ONNXReference.inputs(Fixtures.path("onnx/paraphrase_minilm_l3.input.safetensors")))
        let ran = clock.now
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/paraphrase_minilm_l3.expect.safetensors"))
        #expect(Set(graph.outputNames) == Set(expect.keys))
        for outputName in graph.outputNames {
            try ONNXReference.expectClose(try #require(outputs[outputName]), try #require(expect[outputName]),
                                          what: "paraphrase-MiniLM \(outputName)")
        }
        print("paraphrase-MiniLM-L3-v2 ONNX: module built in \(loaded - start), graph run in \(ran - loaded)")
    }
}

/// Reading references and comparing values to 1e-4 relative / 1e-5 absolute.
enum ONNXReference {
    static func tensors(_ path: String) throws -> [String: ONNXValue] {
        var result: [String: ONNXValue] = [:]
        for record in try SafeTensorsReader.read(path: path).tensors { result[record.name] = try ONNXValue(record: record) }
        return result
    }

    static func inputs(_ path: String) throws -> [String: ONNXValue] { try tensors(path) }

    static func expectClose(_ actual: ONNXValue, _ expected: ONNXValue, what: String,
                            relative: Float = 1e-4, absolute: Float = 1e-5, relativeToLargest: Bool = false,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape) vs \(expected.shape)",
                sourceLocation: sourceLocation)
        guard actual.shape == expected.shape else { return }
        if case .integer(let e) = expected {
            guard case .integer(let a) = actual else {
                Issue.record("\(what): float output, integers expected", sourceLocation: sourceLocation)
                return
            }
            #expect(a.values == e.values, "\(what): integers differ", sourceLocation: sourceLocation)
            return
        }
        let a = actual.floatTensor.toArray(), e = expected.floatTensor.toArray()
        var worst = (index: -1, excess: Float(0))
        let largest = e.reduce(Float(0)) { max($0, abs($1)) }
        for i in a.indices {
            let excess = abs(a[i] - e[i]) - (absolute + relative * (relativeToLargest ? largest : abs(e[i])))
            if excess > worst.excess || a[i].isNaN != e[i].isNaN { worst = (i, max(excess, 1)) }
        }
        #expect(worst.index < 0, "\(what): element \(worst.index) is \(worst.index < 0 ? 0 : a[worst.index]), expected \(worst.index < 0 ? 0 : e[worst.index])",
                sourceLocation: sourceLocation)
    }
}
