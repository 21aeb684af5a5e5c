import Foundation
import NNCore
import NNModules
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Checkpoints written the way people really have them (Fixtures/real, README there): every tensor PyTorch,
/// safetensors, NumPy and gguf-py read from them has the same name, dtype, shape and values in nnview.
@Suite struct RealCheckpointTests {
    static let expect: TensorArchive? = try? ModelFileReader.open(path: Fixtures.path("real/expect.safetensors"))

    /// Every file the expect file names.
    static let files: [String] = {
        guard let expect else { return [] }
        return Array(Set(expect.tensors.map { String($0.name.split(separator: "|")[0]) })).sorted()
    }()

    @Test func expectFileCoversEveryReadableFixture() throws {
        #expect(Self.files.count >= 25, "\(Self.files)")
    }

    @Test(arguments: files)
    func namesDtypesShapesAndValuesMatch(_ file: String) throws {
        let expect = try #require(Self.expect)
        let expected = try expect.stateDict()
        let archive = try ModelFileReader.open(path: Fixtures.path("real/\(file)"))
        let values = try archive.stateDict()
        let names = expect.tensors.map(\.name).filter { $0.hasPrefix(file + "|") }
        #expect(Set(archive.tensors.map(\.name)) == Set(names.map { String($0.dropFirst(file.count + 1)) }),
                "\(file): nnview's names equal PyTorch's")
        for key in names {
            let name = String(key.dropFirst(file.count + 1))
            let want = try #require(expected[key])
            let record = try #require(archive.tensor(named: name), "\(file): no tensor \(name)")
            #expect(record.type.name == expect.metadataValue(key), "\(file) \(name): dtype \(record.type.name)")
            #expect(record.shape == want.shape, "\(file) \(name): shape \(record.shape), PyTorch \(want.shape)")
            let got = try #require(values[name]).toArray()
            #expect(got == want.toArray(), "\(file) \(name): \(got.prefix(6)) vs \(want.toArray().prefix(6))")
        }
    }

    @Test func trainingCheckpointKeepsEpochAndBindsItsModel() throws {
        let archive = try ModelFileReader.open(path: Fixtures.path("real/train_ckpt.pt"))
        #expect(archive.metadataValue("epoch") == "3")
        #expect(archive.metadataValue("best_acc") == "0.91")
        #expect(archive.tensor(named: "optimizer.state.0.exp_avg")?.shape == [3, 4])
        let expected = try #require(Self.expect).stateDict()
        for file in ["train_ckpt.pt", "dp_ckpt.pt", "train_ckpt_sgd.pth"] {
            let spec = try ModelSpec.parse("model = Sequential(Linear(4, 3), ReLU(), Linear(3, 2))\ninput = rand(2, 4)\n")
            let report = try spec.model.loadWeights(from: ModelFileReader.open(path: Fixtures.path("real/\(file)")))
            #expect(report.missing.isEmpty && report.unexpected.isEmpty, "\(file): \(report)")
            let prefix = file == "dp_ckpt.pt" ? "model.module." : file == "train_ckpt.pt" ? "model." : "state_dict."
            let weight = try #require(spec.model.stateDict()["2.weight"]).toArray()
            #expect(weight == (try #require(expected["\(file)|\(prefix)2.weight"])).toArray(), "\(file)")
        }
        // A file that holds the names under no prefix still fails strictly, listing them.
        let other = try ModelSpec.parse("model = Sequential(Linear(4, 5))\ninput = rand(2, 4)\n")
        #expect(throws: ModelFileError.self) {
            try other.model.loadWeights(from: ModelFileReader.open(path: Fixtures.path("real/train_ckpt.pt")))
        }
    }

    @Test func batchNormStatsAndTiesAndFolders() throws {
        let bin = try ModelFileReader.open(path: Fixtures.path("real/pytorch_model.bin"))
        #expect(bin.tensor(named: "bn.num_batches_tracked")?.type == .i64)
        #expect(try bin.stateDict()["bn.num_batches_tracked"]?.toArray() == [2])
        #expect(bin.tensor(named: "conv.weight")?.shape == [3, 2, 3, 3])
        let folder = try ModelFileReader.open(path: Fixtures.path("real/hf"))
        #expect(folder.metadataValue("model_type") == "tinybn")
        #expect(folder.tensors.count == 9)
        let shardedBin = try ModelFileReader.open(path: Fixtures.path("real/hf_sharded_bin"))
        #expect(shardedBin.format == "folder/pytorch-sharded" && shardedBin.metadataValue("shards") == "2")
        #expect(shardedBin.tiedGroups.isEmpty, "storage 0 of one shard is not storage 0 of the other")
        let index = try ModelFileReader.open(path: Fixtures.path("real/hf_sharded_bin/pytorch_model.bin.index.json"))
        #expect(index.tensors.map(\.name) == shardedBin.tensors.map(\.name))
        let shared = try ModelFileReader.open(path: Fixtures.path("real/shared_nested.pt"))
        #expect(shared.tiedGroups.map { $0.sorted() } == [["a.w", "b.w"]], "a view of a different shape is not a tie")
        let views = try ModelFileReader.open(path: Fixtures.path("real/views2.pt"))
        #expect(views.tensor(named: "exp")?.strides == [0, 1])
        #expect(views.tensor(named: "offset")?.elementOffset == 15)
        let safetensors = try ModelFileReader.open(path: Fixtures.path("real/bn.safetensors"))
        #expect(safetensors.metadataValue("epoch") == "3" && safetensors.metadataValue("format") == "pt")
    }

    @Test func ggufQ5AndOtherTypesDecodeAsGGUFPyDoes() throws {
        let archive = try ModelFileReader.open(path: Fixtures.path("real/types_ok.gguf"))
        let expected = try ModelFileReader.open(path: Fixtures.path("real/types_ok.expect.safetensors")).stateDict()
        let values = try archive.stateDict()
        #expect(Set(archive.tensors.map(\.name)) == Set(expected.keys))
        for name in expected.keys {
            let want = try #require(expected[name])
            #expect(archive.tensor(named: name)?.shape == want.shape, "\(name)")
            #expect(try #require(values[name]).toArray() == want.toArray(), "\(name)")
        }
        #expect(archive.tensor(named: "rnd.Q5_1")?.type.name == "Q5_1")
        let mixed = try ModelFileReader.open(path: Fixtures.path("real/gguf_undecodable.gguf"))
        #expect(mixed.tensors.map(\.type.name).contains("MXFP4"), "undecodable types are still listed")
        #expect(throws: ModelFileError.self) { try mixed.stateDict() }
    }

    @Test(arguments: [
        ("whole_module.pt", "whole pickled model (class torch.nn.modules.container.Sequential)"),
        ("whole_user_module.pt", "whole pickled model (class __main__.UserNet)"),
        ("sparse.pt", "_rebuild_sparse_tensor"),
        ("qint8.pt", "_rebuild_qtensor"),
        ("meta.pt", "_rebuild_meta_tensor_no_storage"),
        ("bigendian.npy", "big-endian"),
        ("proto0.pt", "pickle_protocol=0"),
        ("proto0_legacy.pt", "pickle_protocol=0"),
        ("numpy_scalar.pt", "refusing pickle global numpy._core.multiarray.scalar"),
        ("namespace.pt", "refusing pickle global argparse.Namespace"),
    ])
    func refusedWithAClearMessage(_ file: String, _ expected: String) throws {
        do {
            let archive = try ModelFileReader.open(path: Fixtures.path("real/\(file)"))
            _ = try archive.stateDict()
            Issue.record("\(file) opened")
        } catch {
            let message = "\(error)"
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("\n"), "one line: \(message)")
        }
    }
}
