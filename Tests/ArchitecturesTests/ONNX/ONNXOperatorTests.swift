import Foundation
@testable import FileFormats
@testable import ModelFiles
import NNCore
import Testing
import TestSupport
@testable import Architectures

/// One small graph per op (scripts/reference/make_onnx_op_cases.py): every operand is an initializer, outputs
/// are onnxruntime's. The values must agree, and where the op is differentiable the gradient of a weighted sum of
/// the outputs with respect to each float initializer must agree with central finite differences.
@Suite struct ONNXOperatorTests {
    static let cases: [String] = {
        let folder = Fixtures.path("onnx/ops")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// Ops whose outputs do not depend smoothly on their float operands (or have none).
    static let notDifferentiable: Set<String> = [
        "equal", "and", "isnan", "cast_to_int", "cast_to_bool", "cast_to_float", "not", "int_arithmetic",
        "reduce_sum_int", "argmax", "cumsum", "concat_int", "slice_int", "gather_int", "shape", "constant",
        "constant_ints", "constant_of_shape", "range", "range_float", "scatter_nd_int", "pad_int",
    ]

    @Test func everyOpHasACase() {
        #expect(Self.cases.count >= 90)
    }

    @Test(arguments: cases)
    func valuesMatchOnnxruntime(name: String) throws {
        let graph = try ONNXGraphModule(path: Fixtures.path("onnx/ops/\(name).onnx"))
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/ops/\(name).expect.safetensors"))
        let outputs = try graph.run([:])
        for outputName in graph.outputNames {
            try ONNXReference.expectClose(try #require(outputs[outputName]), try #require(expect[outputName]),
                                          what: "\(name) \(outputName)")
        }
    }

    @Test(arguments: cases.filter { !notDifferentiable.contains($0) })
    func gradientsMatchFiniteDifferences(name: String) throws {
        let graph = try ONNXGraphModule(path: Fixtures.path("onnx/ops/\(name).onnx"))
        var generator = SeededGenerator(seed: 5)
        let probe = try Autograd.noGrad { try graph.run([:]) }
        let weights = graph.outputNames.map { Tensor.uniform(probe[$0]!.shape, low: 0.5, high: 1.5, generator: &generator) }
        func weightedSum(_ outputs: [String: ONNXValue]) throws -> Tensor {
            var total = Tensor(scalar: 0)
            for (outputName, weight) in zip(graph.outputNames, weights) {
                total = try total + (outputs[outputName]!.floatTensor * weight).sum()
            }
            return total
        }
        try weightedSum(try graph.run([:])).backward()
        for (initializerName, parameter) in graph.initializers.sorted(by: { $0.key < $1.key }) {
            try expectGradientMatchesFiniteDifferences(of: { try weightedSum(try graph.run([:])) }, at: parameter, h: 1e-3,
                                                       named: "\(name): \(initializerName)")
        }
    }

    @Test func unsupportedOpNamesTheOpNodeAndOpset() throws {
        let node = ONNXNode(name: "/encoder/Loop_3", opType: "Loop", domain: "", inputs: [], outputs: ["y"], attributes: [])
        let context = ONNXNodeContext(node: node, inputs: [], opset: 18)
        #expect(throws: ONNXRunError.self) { try ONNXOperators.run(context) }
        do {
            _ = try ONNXOperators.run(context)
        } catch {
            #expect("\(error)" == "unsupported ONNX op \"Loop\" (node \"/encoder/Loop_3\", opset 18)")
        }
    }

    @Test func symbolicDimensionsMustAgreeAcrossInputs() throws {
        guard let url = try RealModels.url(RealModels.paraphraseMiniLMONNX) else { return }
        let graph = try ONNXGraphModule(path: url.path)
        let ids = IntegerTensor(shape: [2, 8], values: [Int](repeating: 1, count: 16))
        let mask = IntegerTensor(shape: [2, 7], values: [Int](repeating: 1, count: 14))
        #expect(throws: ONNXRunError.self) { try graph.run(["input_ids": .integer(ids), "attention_mask": .integer(mask)]) }
    }
}
