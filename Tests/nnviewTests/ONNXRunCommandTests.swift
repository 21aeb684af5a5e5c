import Foundation
import ModelFiles
import TestSupport
import Testing

/// `nnview run FILE.onnx --input … --backward output --out …` through the real binary, on the torch.onnx exports
/// (kept in ArchitecturesTests/Fixtures/onnx): onnxruntime's outputs, and PyTorch's gradients where an initializer
/// holds one parameter's own values.
@Suite struct ONNXRunCommandTests {
    static func fixture(_ name: String) -> String {
        RunCommandTests.fixture("onnx/" + name)
    }

    @Test(arguments: ["cnn_small", "gpt2", "llama", "bert_mlm"])
    func outputsAreOnnxruntimes(_ name: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let result = try NNViewProcess.run(["run", Self.fixture(name + ".onnx"), "--input", Self.fixture(name + ".input.safetensors"),
                                            "--backward", "output", "--out", out], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gradients of sum(output)"))
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(Self.fixture(name + ".expect.safetensors"))
        let output = try #require(written["output"]), expectedOutput = try #require(expected["output"])
        #expect(output.shape == expectedOutput.shape)
        let worst = zip(output.values, expectedOutput.values).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
        #expect(worst <= 0, "\(name): output differs from onnxruntime by \(worst) beyond tolerance")
        // Every float initializer gets a gradient. The transformer exports merge initializers with equal values
        // (zero biases, unit LayerNorm weights) into one, so only the CNN's are each one parameter's whole gradient.
        for key in expected.keys where key.hasPrefix("grad/") {
            let gradient = try #require(written[key], "\(name): \(key) not written")
            guard name == "cnn_small", let reference = expected[key] else { continue }
            let scale = reference.values.map(abs).max() ?? 0
            let error = zip(gradient.values, reference.values).map { abs($0 - $1) }.max() ?? 0
            #expect(error <= 1e-4 * scale + 1e-5, "\(key) differs from PyTorch by \(error) (largest \(scale))")
        }
    }

    @Test func anONNXModelNeedsItsInputFileAndNoTextOptions() throws {
        let model = Self.fixture("gpt2.onnx")
        let missing = try NNViewProcess.run(["run", model, "--text", "hi"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("an ONNX model runs on --input FILE.safetensors"))
        let mixed = try NNViewProcess.run(["run", model, "--input", Self.fixture("gpt2.input.safetensors"), "--loss", "lm"])
        #expect(mixed.status == 2)
        let backwardElsewhere = try NNViewProcess.run(["run", RunCommandTests.fixture("gpt2"), "--text", "hi", "--backward", "logits"])
        #expect(backwardElsewhere.status == 2)
        #expect(backwardElsewhere.stderr.contains("--backward OUTPUT is for ONNX models"))
    }
}
