import Foundation
import ModelFiles
import TestSupport
import Testing

/// `nnview run` through the real binary on the transformers fixtures (kept in ArchitecturesTests/Fixtures):
/// what --out writes must be PyTorch's numbers under transformers' names.
@Suite struct RunCommandTests {
    static func fixture(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ArchitecturesTests/Fixtures").appendingPathComponent(relative).path
    }

    static func values(_ path: String) throws -> [String: (shape: [Int], values: [Float])] {
        var result: [String: (shape: [Int], values: [Float])] = [:]
        for record in try SafeTensorsReader.read(path: path).tensors {
            result[record.name] = (record.shape, try record.floatValues(limit: 1 << 24))
        }
        return result
    }

    @Test(arguments: ["gpt2", "gpt2_hubkeys", "bert_mlm", "llama_tied"])
    func outHoldsPyTorchsTensorsUnderTransformersNames(_ name: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let expectPath = Self.fixture(name + "/expect.safetensors")
        let result = try NNViewProcess.run(["run", Self.fixture(name), "--ids", expectPath, "--labels", expectPath, "--out", out],
                                           timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("backward done"))
        let written = try Self.values(out)
        let expected = try Self.values(expectPath)
        let compared = expected.keys.filter { !$0.hasPrefix("act") && !$0.hasPrefix("attn/") }
        #expect(Set(written.keys) == Set(compared), "names differ: \(Set(written.keys).symmetricDifference(compared).sorted())")
        for key in compared {
            guard let (shape, values) = written[key], let (expectedShape, expectedValues) = expected[key] else { continue }
            #expect(shape == expectedShape || (key == "loss" && values.count == 1), "\(key): shape \(shape) vs \(expectedShape)")
            let worst = zip(values, expectedValues).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
            #expect(worst <= 0, "\(name) \(key) differs from PyTorch by \(worst) beyond tolerance")
        }
    }

    @Test func causalModelsShowTheNextTokensAndJSONIsOneObject() throws {
        let ids = Self.fixture("llama/expect.safetensors")
        let text = try NNViewProcess.run(["run", Self.fixture("llama"), "--ids", ids, "--top", "3"], timeout: 60)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.components(separatedBy: "next token:").count == 3)
        let json = try NNViewProcess.run(["run", Self.fixture("llama.q8_0.gguf"), "--ids", Self.fixture("llama.q8_0.expect.safetensors"), "--json", "--loss", "lm"], timeout: 60)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["task"] as? String == "causal-lm")
        #expect((object["texts"] as? [[String: Any]])?.first?["next_token"] != nil)
        #expect(object["loss"] is Double)
    }

    /// `--pair` after each `--text`: BERT's pair template and token types, written as token_type_ids, and the
    /// same hidden states as transformers (bert_mlm/pairs.safetensors). A count mismatch is a usage error.
    @Test func pairsOfTextsGiveTransformersTokenTypesAndOutputs() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("pairs.safetensors").path
        let result = try NNViewProcess.run([
            "run", Self.fixture("bert_mlm"), "--text", "The licensee may [MASK] the program.",
            "--pair", "You must give any other recipients a copy.", "--text", "the program",
            "--pair", "a [MASK] of this License.", "--out", out,
        ], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try Self.values(out)
        let expected = try Self.values(Self.fixture("bert_mlm/pairs.safetensors"))
        for key in ["input_ids", "token_type_ids", "attention_mask", "logits", "last_hidden_state"] {
            #expect(Self.worstExcess(written[key]?.values, expected[key]?.values) <= 0, "\(key) differs from transformers'")
        }
        let mismatch = try NNViewProcess.run(["run", Self.fixture("bert_mlm"), "--text", "a", "--text", "b", "--pair", "c"])
        #expect(mismatch.status == 2 && mismatch.stderr.contains("2 --text but 1 --pair"))
    }

    @Test func badArgumentsAndInputsAreOneLine() throws {
        let gpt2 = Self.fixture("gpt2")
        let usage = try NNViewProcess.run(["run", gpt2, "--top", "0", "--text", "a"])
        #expect(usage.status == 2)
        let notAModel = try NNViewProcess.run(["run", Self.fixture("gpt2/expect.safetensors"), "--text", "a"])
        #expect(notAModel.status == 1 && notAModel.stderrLines.count == 1 && notAModel.stderr.contains("not a model nnview runs"))
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Labels of the wrong shape: the file and the shapes are named.
        let badLabels = try NNViewProcess.run(["run", gpt2, "--ids", Self.fixture("gpt2/expect.safetensors"),
                                               "--labels", Self.fixture("bert_mlm/expect.safetensors")])
        #expect(badLabels.status == 1 && badLabels.stderrLines.count == 1)
        #expect(badLabels.stderr.contains("labels has shape [2, 14] but the batch is [2, 39]"))
    }

    /// How far the worst element of `actual` is beyond 1e-4 relative / 1e-5 absolute of `expected` (≤ 0: all
    /// within; infinity when either is missing or their sizes differ).
    static func worstExcess(_ actual: [Float]?, _ expected: [Float]?) -> Float {
        guard let actual, let expected, actual.count == expected.count, !actual.isEmpty else { return .infinity }
        var worst: Float = -.infinity
        for (a, e) in zip(actual, expected) {
            let excess: Float = abs(a - e) - (1e-5 + 1e-4 * abs(e))
            worst = excess.isNaN ? .infinity : max(worst, excess)
        }
        return worst
    }

    /// The texts of a fixture's expect.json.
    static func texts(_ expectJSON: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectJSON))) as? [String: Any]
        return try #require(object?["texts"] as? [String])
    }

    /// Texts go through the model's own tokenizer (folder files or GGUF arrays) to the ids and outputs PyTorch got.
    @Test(arguments: [("gpt2", "gpt2/expect.json", "gpt2/expect.safetensors"),
                      ("bert_mlm", "bert_mlm/expect.json", "bert_mlm/expect.safetensors"),
                      ("llama_tied.f32.gguf", "llama_tied/expect.json", "llama_tied.f32.expect.safetensors")])
    func textsGiveTheIDsAndLogitsOfTransformers(_ model: String, _ textsFile: String, _ expectFile: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let texts = try Self.texts(Self.fixture(textsFile))
        let result = try NNViewProcess.run(["run", Self.fixture(model)] + texts.flatMap { ["--text", $0] } + ["--out", out], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try Self.values(out)
        let expected = try Self.values(Self.fixture(expectFile))
        #expect(written["input_ids"]?.values == expected["input_ids"]?.values, "\(model): token ids differ from transformers'")
        #expect(written["attention_mask"]?.values == expected["attention_mask"]?.values)
        let excess = Self.worstExcess(written["logits"]?.values, expected["logits"]?.values)
        #expect(excess <= 0, "\(model) logits differ from PyTorch by \(excess) beyond tolerance")
    }

    /// The real all-MiniLM-L6-v2 from its texts: the sentence embeddings sentence-transformers computed.
    @Test func realMiniLMFromTexts() throws {
        guard let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let texts = try Self.texts(Self.fixture("real/minilm.expect.json"))
        let result = try NNViewProcess.run(["run", folder.path] + texts.flatMap { ["--text", $0] } + ["--out", out], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("cosine similarity: 1–2"))
        let written = try Self.values(out)
        let expected = try Self.values(Self.fixture("real/minilm.expect.safetensors"))
        #expect(written["input_ids"]?.values == expected["input_ids"]?.values)
        for key in ["last_hidden_state", "sentence_embedding"] {
            let excess = Self.worstExcess(written[key]?.values, expected[key]?.values)
            #expect(excess <= 0, "MiniLM \(key) differs by \(excess) beyond tolerance")
        }
    }
}
