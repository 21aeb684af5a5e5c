import Foundation
import Testing
import ModelFiles
import NNCore
import TestSupport
@testable import Architectures

/// Llama configs that stretch their rotary embeddings (`rope_scaling` / `rope_parameters`): the llama3 and linear
/// types give transformers' logits (Fixtures/llama_rope_*, scripts/reference/llama_rope_scaling.py), the scaled
/// frequencies are transformers' own, and types nnview does not run are refused in one line naming the field.
@Suite struct RotaryScalingTests {
    @Test(arguments: ["llama_rope_llama3", "llama_rope_linear"])
    func scaledRotaryModelsGiveTransformersLogits(_ name: String) throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path(name))
        #expect(loaded.config.rotaryScaling != .none)
        let expect = try ArchitectureFixtures.tensors(name + "/expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.logits, expect["logits"], "\(name) logits")
        expectClose(run.lastHiddenState, expect["last_hidden_state"], "\(name) last_hidden_state")
    }

    /// The llama3 model as llama.cpp's converter writes it (`rope_freqs.weight`: one divisor per frequency): the
    /// same logits as transformers on the folder.
    @Test func ggufFrequencyFactorsGiveTheSameLogits() throws {
        let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("llama_rope_llama3.f32.gguf"))
        guard case .frequencyFactors(let factors) = loaded.config.rotaryScaling else {
            Issue.record("rope_freqs.weight was not read: \(loaded.config.rotaryScaling)")
            return
        }
        #expect(factors.count == 8 && factors.first == 1 && factors.last == 8)
        let expect = try ArchitectureFixtures.tensors("llama_rope_llama3.f32.expect.safetensors")
        let run = try Autograd.noGrad {
            try loaded.run(inputIDs: try #require(expect["input_ids"]), attentionMask: expect["attention_mask"])
        }
        expectClose(run.logits, expect["logits"], "llama3 GGUF logits")
    }

    /// transformers' inv_freq for the llama3 fixture (printed by the script): the first frequency kept, the second
    /// blended, the rest divided by 8.
    @Test func llama3FrequenciesAreTransformers() throws {
        let scaling = RotaryScaling.llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 32)
        let scaled = scaling.apply(to: try rotaryInverseFrequencies(headDimension: 16, theta: 10_000))
        let expected: [Float] = [1.0, 0.0958399772644043, 0.012500000186264515, 0.0039528473280370235,
                                 0.0012499999720603228, 0.00039528473280370235, 0.0001250000059371814, 3.9528473280370235e-05]
        for (mine, theirs) in zip(scaled, expected) { #expect(abs(mine - theirs) <= 1e-6 * abs(theirs)) }
    }

    @Test func unsupportedTypesAreOneLine() throws {
        let folder = try ScratchSpace.folder("rope").path
        let source = ArchitectureFixtures.path("llama_rope_llama3")
        try FileManager.default.copyItem(atPath: source + "/model.safetensors", toPath: folder + "/model.safetensors")
        let config = try String(contentsOfFile: source + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"rope_type\": \"llama3\"", with: "\"rope_type\": \"yarn\"")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        do {
            _ = try TransformerLoader.load(path: folder)
            Issue.record("a yarn config loaded")
        } catch let error as ModelFileError {
            #expect("\(error)".contains("rope_parameters.rope_type: yarn rotary scaling is not supported (default, linear and llama3 are)"),
                    "\(error)")
        }
        try config.replacingOccurrences(of: "\"high_freq_factor\": 4.0", with: "\"high_freq_factor\": 0.5")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        #expect(throws: ModelFileError.self) { try TransformerLoader.load(path: folder) }
    }
}
