import Foundation
import ModelFiles
import Testing

/// The commands on checkpoints the way people have them (Fixtures/real): a training checkpoint dict, a BatchNorm
/// pytorch_model.bin, its safetensors and sharded copies, NumPy, GGUF, and a whole pickled model that is refused.
@Suite struct RealCheckpointCommandTests {
    @Test func summaryJSONOfATrainingCheckpoint() throws {
        let run = try NNViewProcess.run(["summary", "--json", Fixtures.path("real/train_ckpt.pt")])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        let weight = try #require(parameters.first { $0["name"] as? String == "model.0.weight" })
        #expect(weight["shape"] as? [Int] == [3, 4] && weight["dtype"] as? String == "F32")
        #expect(parameters.contains { $0["name"] as? String == "optimizer.state.3.exp_avg_sq" })
        // 23 weights + 4 × (1 step + 2 moments of the parameter's size) of Adam state.
        #expect(json["total_parameters"] as? Int == 73)
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["epoch"] as? String == "3" && metadata["optimizer.param_groups.0.lr"] as? String == "0.001")
    }

    @Test(arguments: ["real/train_ckpt.pt", "real/dp_ckpt.pt"])
    func stepBindsTheModelInsideACheckpoint(_ checkpoint: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("r.safetensors").path
        let run = try NNViewProcess.run(["step", Fixtures.path("real/ckpt_net.nn"), "--weights", Fixtures.path(checkpoint),
                                         "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try ModelFileReader.open(path: out).stateDict()
        let saved = try ModelFileReader.open(path: Fixtures.path(checkpoint)).stateDict()
        let prefix = checkpoint.hasSuffix("dp_ckpt.pt") ? "model.module." : "model."
        for name in ["0.weight", "0.bias", "2.weight", "2.bias"] {
            #expect(try #require(result["param/" + name]).toArray() == (try #require(saved[prefix + name])).toArray(), "\(name)")
        }
    }

    @Test func batchNormCheckpointConvertsAndDiffsIdenticalAcrossFormats() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let converted = scratch.appendingPathComponent("bn.safetensors").path
        let npz = scratch.appendingPathComponent("bn.npz").path
        #expect(try NNViewProcess.run(["convert", Fixtures.path("real/pytorch_model.bin"), converted]).status == 0)
        #expect(try NNViewProcess.run(["convert", Fixtures.path("real/pytorch_model.bin"), npz]).status == 0)
        for other in [converted, npz, Fixtures.path("real/bn.safetensors"), Fixtures.path("real/sharded"),
                      Fixtures.path("real/sd.npz")] {
            let run = try NNViewProcess.run(["diff", Fixtures.path("real/pytorch_model.bin"), other])
            #expect(run.status == 0 && run.stdout.contains("identical: 9 tensors"), "\(other): \(run.stdout) \(run.stderr)")
        }
        let tracked = try ModelFileReader.open(path: npz).tensor(named: "bn.num_batches_tracked")
        #expect(tracked?.type == .i64 && tracked?.shape == [], "int64 and a scalar survive the npz")
    }

    @Test func wholePickledModelIsRefusedNamingItsClass() throws {
        for command in [["summary"], ["convert"], ["diff"], ["snapshot"]] {
            var arguments = command + [Fixtures.path("real/whole_module.pt")]
            if command == ["convert"] { arguments.append(NSTemporaryDirectory() + "never-written.safetensors") }
            if command == ["diff"] { arguments.append(Fixtures.path("real/legacy_sd.pt")) }
            let run = try NNViewProcess.run(arguments)
            #expect(run.status == 1, "\(command): \(run.status)")
            #expect(run.stderrLines.count == 1, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("whole pickled model (class torch.nn.modules.container.Sequential)"), "\(run.stderr)")
        }
    }

    @Test func snapshotsOfOtherDtypesAndViews() throws {
        let dtypes = try NNViewProcess.run(["snapshot", Fixtures.path("real/dtypes.pt"), "--size", "90x20",
                                            "--keys", "j j Enter"])
        #expect(dtypes.status == 0, "\(dtypes.stderr)")
        #expect(dtypes.stdout.contains("bf16") && dtypes.stdout.contains("BF16"), "\(dtypes.stdout)")
        let gguf = try NNViewProcess.run(["summary", Fixtures.path("real/small.gguf")])
        #expect(gguf.status == 0 && gguf.stdout.contains("Q8_0") && gguf.stdout.contains("general.name: tiny-test"), "\(gguf.stdout)")
        let views = try NNViewProcess.run(["snapshot", Fixtures.path("real/views2.pt"), "--size", "90x20", "--keys", "j Enter"])
        #expect(views.status == 0 && views.stdout.contains("[6, 4]"), "\(views.stdout)")
    }
}
