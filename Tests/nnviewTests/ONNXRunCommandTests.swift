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
        #expect(missing.stderr.contains("--text on an ONNX model needs --tokenizer FOLDER"), "\(missing.stderr)")
        let nothing = try NNViewProcess.run(["run", model])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("an ONNX model runs on --input FILE.safetensors"), "\(nothing.stderr)")
        let both = try NNViewProcess.run(["run", model, "--input", Self.fixture("gpt2.input.safetensors"), "--text", "hi",
                                          "--tokenizer", RunCommandTests.fixture("gpt2")])
        #expect(both.status == 2)
        let tokenizerElsewhere = try NNViewProcess.run(["run", RunCommandTests.fixture("gpt2"), "--text", "hi",
                                                        "--tokenizer", RunCommandTests.fixture("gpt2")])
        #expect(tokenizerElsewhere.status == 2)
        #expect(tokenizerElsewhere.stderr.contains("--tokenizer FOLDER is for ONNX models"), "\(tokenizerElsewhere.stderr)")
        let mixed = try NNViewProcess.run(["run", model, "--input", Self.fixture("gpt2.input.safetensors"), "--loss", "lm"])
        #expect(mixed.status == 2)
        let backwardElsewhere = try NNViewProcess.run(["run", RunCommandTests.fixture("gpt2"), "--text", "hi", "--backward", "logits"])
        #expect(backwardElsewhere.status == 2)
        #expect(backwardElsewhere.stderr.contains("--backward OUTPUT is for ONNX models"))
    }

    /// `--text … --tokenizer FOLDER`: the BERT export fed by its folder's tokenizer, padded to the longest text,
    /// gives the ids of bert_mlm.input.safetensors (the same texts) and so onnxruntime's output for them.
    @Test func textsRunThroughATokenizerFolder() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let result = try NNViewProcess.run(["run", Self.fixture("bert_mlm.onnx"), "--text", "The licensee may [MASK] the program.",
                                            "--text", "You must give any other recipients a [MASK] of this License.",
                                            "--tokenizer", RunCommandTests.fixture("bert_mlm"),
                                            "--backward", "output", "--out", out], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try RunCommandTests.values(out)
        let output = try #require(written["output"])
        let expected = try #require(try RunCommandTests.values(Self.fixture("bert_mlm.expect.safetensors"))["output"])
        #expect(output.shape == expected.shape)
        let worst = zip(output.values, expected.values).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
        #expect(worst <= 0, "output differs from onnxruntime by \(worst) beyond tolerance")
        #expect(written.keys.contains { $0.hasPrefix("grad/") })
        // The export's shape is fixed at [2, 14]: other texts are refused in one line naming the input.
        let fixed = try NNViewProcess.run(["run", Self.fixture("bert_mlm.onnx"), "--text", "hello", "--text", "world",
                                           "--tokenizer", RunCommandTests.fixture("bert_mlm")])
        #expect(fixed.status == 1)
        #expect(fixed.stderr.contains("input \"input_ids\" has shape [2, 5], the graph declares [2, 14]"), "\(fixed.stderr)")
        let wrongFolder = try NNViewProcess.run(["run", Self.fixture("bert_mlm.onnx"), "--text", "hi", "--tokenizer", scratch.path])
        #expect(wrongFolder.status == 1)
        #expect(wrongFolder.stderr.split(separator: "\n").count == 1, "\(wrongFolder.stderr)")
    }

    /// Pairs of texts on a BERT export that takes token_type_ids (bert_mlm_typed.onnx): the pair template's ids and
    /// types are fed, and the logits are onnxruntime's. A graph without token_type_ids refuses pairs in one line.
    @Test func pairsFeedTokenTypeIDs() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("pairs.safetensors").path
        let folder = RunCommandTests.fixture("bert_mlm")
        let result = try NNViewProcess.run([
            "run", Self.fixture("bert_mlm_typed.onnx"), "--tokenizer", folder,
            "--text", "The licensee may [MASK] the program.", "--pair", "You must give any other recipients a copy.",
            "--text", "the program", "--pair", "a [MASK] of this License.", "--out", out,
        ], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(Self.fixture("bert_mlm_typed.expect.safetensors"))
        #expect(RunCommandTests.worstExcess(written["logits"]?.values, expected["logits"]?.values) <= 0)
        let untyped = try NNViewProcess.run(["run", Self.fixture("bert_mlm.onnx"), "--tokenizer", folder,
                                             "--text", "a", "--pair", "b"])
        #expect(untyped.status == 1 && untyped.stderr.contains("has no token_type_ids input"), "\(untyped.stderr)")
    }

    /// The real paraphrase-MiniLM-L3-v2 file on three texts through all-MiniLM-L6-v2's tokenizer (the same uncased
    /// vocabulary): onnxruntime's outputs for the ids the `tokenizers` library gives.
    @Test func realParaphraseMiniLMOnTextsIsOnnxruntimes() throws {
        guard let model = try RealModels.url(RealModels.paraphraseMiniLMONNX),
              let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let result = try NNViewProcess.run(["run", model.path, "--text", "Saving edited weights back into an ONNX file.",
                                            "--text", "A tokenizer feeds the graph.", "--text", "Short",
                                            "--tokenizer", folder.path, "--out", out], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(Self.fixture("paraphrase_minilm_l3.text.expect.safetensors"))
        for name in ["461", "onnx::Shape_422"] {
            let output = try #require(written[name]), reference = try #require(expected[name])
            #expect(output.shape == reference.shape, "\(name)")
            let worst = zip(output.values, reference.values).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
            #expect(worst <= 0, "\(name) differs from onnxruntime by \(worst) beyond tolerance")
        }
    }

    /// `nnview convert A.onnx B.onnx` copies the graph and moves external data into B.onnx.data; .onnx from
    /// another format is refused.
    @Test func convertWritesAnONNXFileOnlyFromAnONNXFile() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let copy = scratch.appendingPathComponent("copy.onnx").path
        let result = try NNViewProcess.run(["convert", Self.fixture("gpt2.onnx"), copy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy + ".data")) == Data(contentsOf: URL(fileURLWithPath: Self.fixture("gpt2.onnx.data"))))
        let run = try NNViewProcess.run(["run", copy, "--input", Self.fixture("gpt2.input.safetensors")], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let refused = try NNViewProcess.run(["convert", RunCommandTests.fixture("gpt2"), scratch.appendingPathComponent("x.onnx").path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("written from an ONNX model"), "\(refused.stderr)")
    }
}
