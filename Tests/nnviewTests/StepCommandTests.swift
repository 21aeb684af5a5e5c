import Foundation
import ModelFiles
import TestSupport
import Testing

/// `nnview step` on PyTorch's reference cases: the result file has exactly the expect file's names and agrees
/// with PyTorch to 1e-5 relative / 1e-6 absolute.
@Suite struct StepCommandTests {
    static let cases = ReferenceCase.names

    static func arguments(_ name: String) throws -> [String: String] {
        try ReferenceCase.arguments(at: Fixtures.path("reference/\(name).args"))
    }

    @Test(arguments: cases)
    func agreesWithPyTorch(_ name: String) throws {
        let args = try Self.arguments(name)
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("result.safetensors").path
        var command = ["step", Fixtures.path("reference/\(name).nn"),
                       "--weights", Fixtures.path("reference/\(name).weights.safetensors"),
                       "--input", Fixtures.path("reference/\(name).input.safetensors"),
                       "--loss", try #require(args["loss"]), "--steps", try #require(args["steps"]),
                       "--lr", try #require(args["lr"]), "--out", out]
        if args["zero_grad"] == "False" { command.append("--accumulate") }
        let run = try NNViewProcess.run(command)
        #expect(run.status == 0, "step \(name) failed: \(run.stderr)")

        let result = try ModelFileReader.open(path: out).stateDict()
        let expect = try ModelFileReader.open(path: Fixtures.path("reference/\(name).expect.safetensors")).stateDict()
        // Parameters PyTorch gives no gradient (no grad/ entry) are the only warning step may print.
        let withoutGradient = expect.keys.filter { $0.hasPrefix("param/") }.map { String($0.dropFirst(6)) }
            .filter { !expect.keys.contains("grad/" + $0) }
        if withoutGradient.isEmpty {
            #expect(run.stderr.isEmpty, "no warnings expected: \(run.stderr)")
        } else {
            #expect(run.stderr.contains("no gradient reached"), "\(run.stderr)")
            for parameter in withoutGradient { #expect(run.stderr.contains(parameter), "\(run.stderr)") }
        }
        // Older expect files predate `buffer/NAME`: for them the buffers step writes must be the weights' buffers.
        if expect.keys.contains(where: { $0.hasPrefix("buffer/") }) {
            #expect(Set(result.keys) == Set(expect.keys), "the result has exactly PyTorch's names")
        } else {
            #expect(Set(result.keys.filter { !$0.hasPrefix("buffer/") }) == Set(expect.keys), "the result has exactly PyTorch's names")
            let weights = try ModelFileReader.open(path: Fixtures.path("reference/\(name).weights.safetensors")).stateDict()
            for key in result.keys where key.hasPrefix("buffer/") {
                #expect(weights.keys.contains(String(key.dropFirst(7))), "\(name): \(key) is no buffer of the model")
            }
        }
        for key in expect.keys {
            let expected = try #require(expect[key])
            let actual = try #require(result[key], "\(name): no \(key) in the result")
            #expect(actual.shape == expected.shape, "\(name) \(key): shape \(actual.shape), PyTorch \(expected.shape)")
            for (index, (a, e)) in zip(actual.toArray(), expected.toArray()).enumerated() {
                let close = abs(a - e) <= 1e-6 + 1e-5 * abs(e)
                #expect(close, "\(name) \(key)[\(index)]: nnview \(a), PyTorch \(e)")
                if !close { break }
            }
        }
    }

    @Test func learningRateUpdatesParameters() throws {
        // One step with lr 0.5 on the tied net: param = initial − 0.5 · grad, read back from the same result file.
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("r.safetensors").path
        let run = try NNViewProcess.run(["step", Fixtures.path("reference/seed_tied.nn"),
                                         "--weights", Fixtures.path("reference/seed_tied.weights.safetensors"),
                                         "--lr", "0.5", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try ModelFileReader.open(path: out).stateDict()
        let initial = try ModelFileReader.open(path: Fixtures.path("reference/seed_tied.weights.safetensors")).stateDict()
        for name in ["0.weight", "2.weight", "6.bias"] {
            let before = try #require(initial[name]).toArray()
            let grad = try #require(result["grad/" + name]).toArray()
            let after = try #require(result["param/" + name]).toArray()
            for index in before.indices {
                #expect(abs(after[index] - (before[index] - 0.5 * grad[index])) <= 1e-6, "\(name)[\(index)]")
            }
        }
        #expect(try #require(result["loss"]).shape == [1])
    }

    @Test func refusesToOverwriteItsInput() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let weights = scratch.appendingPathComponent("w.safetensors").path
        try FileManager.default.copyItem(atPath: Fixtures.path("reference/seed_tied.weights.safetensors"), toPath: weights)
        let before = try Data(contentsOf: URL(fileURLWithPath: weights))
        let run = try NNViewProcess.run(["step", Fixtures.path("reference/seed_tied.nn"), "--weights", weights, "--out", weights])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("refusing to overwrite"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: weights)) == before)
    }

    @Test func mseWithoutTargetIsAnInputError() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try NNViewProcess.run(["step", "tied", "--loss", "mse", "--out", scratch.appendingPathComponent("r.safetensors").path])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("needs a target"), "\(run.stderr)")
    }
}

extension StepCommandTests {
    @Test func crossEntropyUsesTheSpecsTargetAndLearningRate() throws {
        // The built-in classifier says loss = "cross-entropy", target = randint(0, 10, 4), lr = 0.1: two steps
        // with those settings must lower the loss.
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("r.safetensors").path
        let run = try NNViewProcess.run(["step", "classifier", "--steps", "2", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try ModelFileReader.open(path: out).stateDict()
        let losses = try #require(result["loss"]).toArray()
        #expect(losses.count == 2 && losses[1] < losses[0], "\(losses)")
        #expect(result["output"]?.shape == [4, 10])
        #expect(result.keys.contains("grad/hidden.weight") && result.keys.contains("param/out.bias"))
    }
}

extension StepCommandTests {
    @Test(arguments: [["--steps", "-1"], ["--steps=-1"], ["--steps", "0"], ["--steps", "-12"]])
    func aStepCountBelowOneSaysItMustBePositive(_ steps: [String]) throws {
        let run = try NNViewProcess.run(["step", "tied"] + steps + ["--out", "r.safetensors"])
        #expect(run.status == 2, "\(steps): status \(run.status), \(run.stderr)")
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("--steps must be a positive integer"), "\(steps): \(run.stderr)")
        #expect(!run.stderr.contains("Missing value"), "\(run.stderr)")
    }

    @Test func aNonNumericStepCountIsStillAUsageError() throws {
        let run = try NNViewProcess.run(["step", "tied", "--steps", "--out", "r.safetensors"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stderr.contains("--steps"), "\(run.stderr)")
    }
}
