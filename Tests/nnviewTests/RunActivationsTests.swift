import Foundation
import ModelFiles
import TestSupport
import Testing

/// `nnview run --activations` through the real binary: act/, actgrad/ and attn/ in --out are PyTorch's forward
/// hooks, retain_grad and output_attentions, under transformers' module paths; the budget refuses with a message.
@Suite struct RunActivationsTests {
    @Test(arguments: ["bert_mlm", "gpt2", "gpt2_hubkeys", "llama", "llama_tied"])
    func activationsGradientsAndAttentionAreWrittenAsPyTorchHasThem(_ name: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let expectPath = RunCommandTests.fixture(name + "/expect.safetensors")
        let result = try NNViewProcess.run(["run", RunCommandTests.fixture(name), "--ids", expectPath, "--labels", expectPath,
                                            "--out", out, "--activations"], timeout: 60)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("act/, actgrad/ and attn/ tensors"))
        #expect(result.stdout.contains("activations: ") && result.stdout.contains("2 attention maps"), "\(result.stdout)")
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(expectPath)
        let keys = expected.keys.filter { $0.hasPrefix("act/") || $0.hasPrefix("actgrad/") || $0.hasPrefix("attn/") }
        #expect(keys.count >= 6)
        for key in keys.sorted() {
            #expect(written[key]?.shape == expected[key]?.shape, "\(name) \(key): shape \(String(describing: written[key]?.shape))")
            let excess = RunCommandTests.worstExcess(written[key]?.values, expected[key]?.values)
            #expect(excess <= 0, "\(name) \(key) differs from PyTorch by \(excess) beyond tolerance")
        }
        // Every module is there, not only the blocks PyTorch's hooks were on; the root (the model's output) is not.
        let attention = written.keys.filter { $0.hasPrefix("attn/") }
        #expect(attention.count == 2)
        #expect(written.keys.contains { $0.hasSuffix("_proj") || $0.hasSuffix(".c_attn") || $0.hasSuffix(".query") })
        #expect(!written.keys.contains("act/"))
        #expect(written.keys.filter { $0.hasPrefix("act/") }.count == written.keys.filter { $0.hasPrefix("actgrad/") }.count)
    }

    @Test func withoutALossThereAreNoGradients() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let ids = RunCommandTests.fixture("gpt2/expect.safetensors")
        let result = try NNViewProcess.run(["run", RunCommandTests.fixture("gpt2"), "--ids", ids, "--out", out, "--activations"],
                                           timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(ids)
        #expect(!written.keys.contains { $0.hasPrefix("actgrad/") })
        for key in ["act/transformer.h.0", "act/transformer.ln_f", "attn/transformer.h.1.attn"] {
            #expect(RunCommandTests.worstExcess(written[key]?.values, expected[key]?.values) <= 0, "\(key)")
        }
    }

    @Test func aSmallBudgetWarnsOnOneLineAndTheRunCompletes() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let expectPath = RunCommandTests.fixture("llama/expect.safetensors")
        let result = try NNViewProcess.run(["run", RunCommandTests.fixture("llama"), "--ids", expectPath, "--loss", "lm",
                                            "--out", out, "--activations", "--activation-budget", "40K"], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("warning: activations: capture stopped at") && result.stderr.contains("40 KiB budget"))
        #expect(result.stdout.contains("backward done"))
        let written = try RunCommandTests.values(out)
        let expected = try RunCommandTests.values(expectPath)
        #expect(RunCommandTests.worstExcess(written["logits"]?.values, expected["logits"]?.values) <= 0)
        let kept = written.keys.filter { $0.hasPrefix("act/") }
        #expect(!kept.isEmpty && !written.keys.contains("act/model.norm"), "kept \(kept.sorted())")
    }

    @Test func badActivationOptionsAreUsageErrors() throws {
        let gpt2 = RunCommandTests.fixture("gpt2"), ids = RunCommandTests.fixture("gpt2/expect.safetensors")
        let noOut = try NNViewProcess.run(["run", gpt2, "--ids", ids, "--activations"])
        #expect(noOut.status == 2 && noOut.stderr.contains("--activations writes to --out"), "\(noOut.stderr)")
        let badBudget = try NNViewProcess.run(["run", gpt2, "--ids", ids, "--activations", "--out", "x.safetensors",
                                               "--activation-budget", "lots"])
        #expect(badBudget.status == 2 && badBudget.stderr.contains("--activation-budget takes a size"), "\(badBudget.stderr)")
    }
}
