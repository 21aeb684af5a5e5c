import Foundation
import NNCore
import NNModules
import TestSupport
import Testing
@testable import FileFormats
@testable import ModelFiles

/// PyTorch's own numbers for the book's networks (fixtures/reference): load the weights by name, feed the input,
/// run the steps the .args file describes, and agree with PyTorch to 1e-5 relative / 1e-6 absolute.
@Suite struct ReferenceCaseTests {
    static let cases = ReferenceCase.names

    static func arguments(_ name: String) throws -> [String: String] {
        try ReferenceCase.arguments(at: Fixtures.path("reference/\(name).args"))
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], _ what: String) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, PyTorch has \(expected.count)")
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let ok = abs(a - e) <= 1e-6 + 1e-5 * abs(e)
            #expect(ok, "\(what)[\(index)]: nnview \(a), PyTorch \(e)")
            if !ok { return }
        }
    }

    @Test(arguments: cases)
    func agreesWithPyTorch(_ name: String) throws {
        let args = try Self.arguments(name)
        let spec = try ModelSpec.load(path: Fixtures.path("reference/\(name).nn"))
        try spec.model.loadWeights(from: ModelFileReader.open(path: Fixtures.path("reference/\(name).weights.safetensors")))
        let inputs = try ModelFileReader.open(path: Fixtures.path("reference/\(name).input.safetensors")).stateDict()
        let expect = try ModelFileReader.open(path: Fixtures.path("reference/\(name).expect.safetensors")).stateDict()

        let input = try #require(inputs["input"])
        let result = try TrainingRun.run(
            model: spec.model, input: input, target: inputs["target"],
            loss: try Loss(parsing: try #require(args["loss"])), steps: Int(try #require(args["steps"]))!,
            learningRate: Float(try #require(args["lr"]))!, accumulate: args["zero_grad"] == "False")

        Self.expectClose(result.firstOutput.toArray(), try #require(expect["output"]).toArray(), "\(name) output")
        Self.expectClose(result.losses, try #require(expect["loss"]).toArray(), "\(name) loss")
        let expectedNames = expect.keys.filter { $0.hasPrefix("param/") }.map { String($0.dropFirst(6)) }
        #expect(Set(result.parameters.map(\.name)) == Set(expectedNames), "namedParameters() names equal PyTorch's (the file sorts them)")
        for (paramName, value) in result.parameters {
            Self.expectClose(value.toArray(), try #require(expect["param/\(paramName)"]).toArray(), "\(name) param/\(paramName)")
        }
        for (paramName, gradient) in result.gradients {
            // PyTorch leaves `.grad` None for a parameter no gradient reaches (the book's MyLinear reads `.data`);
            // the expect file then has no grad/ entry and nnview must have no gradient either.
            guard let expected = expect["grad/\(paramName)"] else {
                #expect(gradient == nil, "\(name): PyTorch gives \(paramName) no gradient, nnview does")
                continue
            }
            let grad = try #require(gradient, "\(name): no gradient reached \(paramName)")
            Self.expectClose(grad.toArray(), expected.toArray(), "\(name) grad/\(paramName)")
        }
        // Buffers after the steps (BatchNorm's running statistics and counters), where PyTorch recorded them.
        let expectedBuffers = expect.keys.filter { $0.hasPrefix("buffer/") }.map { String($0.dropFirst(7)) }
        if !expectedBuffers.isEmpty {
            #expect(Set(result.buffers.map(\.name)) == Set(expectedBuffers), "namedBuffers() names equal PyTorch's")
        }
        for bufferName in expectedBuffers {
            let value = try #require(result.buffers.first { $0.name == bufferName }?.value, "\(name): no buffer \(bufferName)")
            Self.expectClose(value.toArray(), try #require(expect["buffer/\(bufferName)"]).toArray(), "\(name) buffer/\(bufferName)")
        }
    }

    @Test func tiedGradientIsTheSumOfItsUses() throws {
        let spec = try ModelSpec.load(path: Fixtures.path("reference/seed_tied.nn"))
        try spec.model.loadWeights(from: ModelFileReader.open(path: Fixtures.path("reference/seed_tied.weights.safetensors")))
        let input = try #require(try ModelFileReader.open(path: Fixtures.path("reference/seed_tied.input.safetensors")).stateDict()["input"])
        _ = try TrainingRun.run(model: spec.model, input: input, target: nil, loss: .sum, steps: 3, learningRate: 0,
                                accumulate: true)
        let weight = try spec.model.module(at: "2").map { try $0.parameter("weight") }
        let shared = try #require(weight)
        #expect(shared.gradientContributions.map(\.site) == ["2", "4"])
        #expect(shared.backwardCount == 3)
        let sum = try shared.gradientContributions[0].gradient + shared.gradientContributions[1].gradient
        Self.expectClose(sum.toArray(), try #require(shared.grad).toArray(), "via 2 + via 4")
    }
}
