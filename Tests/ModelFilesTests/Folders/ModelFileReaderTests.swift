import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct ModelFileReaderTests {
    func copy(_ fixture: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: path)
    }

    @Test func sniffsByContentNotExtension() throws {
        let folder = try Fixtures.scratchFolder()
        try copy("safetensors/seed_tied.safetensors", to: folder + "/weights.npy")
        try copy("numpy/a.npy", to: folder + "/array.safetensors")
        try copy("numpy/mlp.npz", to: folder + "/mlp.params")
        #expect(try ModelFileReader.open(path: folder + "/weights.npy").format == "safetensors")
        #expect(try ModelFileReader.open(path: folder + "/array.safetensors").format == "npy")
        #expect(try ModelFileReader.open(path: folder + "/mlp.params").format == "npz")
    }

    @Test func pytorchAndGGUFReachTheirReaders() throws {
        let zip = ZipBuilder(members: [.init(name: "archive/data.pkl", bytes: [0x80, 2, 0x2E])]).build().bytes
        let zipPath = try Fixtures.write(zip, name: "model.pt")
        #expect { try ModelFileReader.open(path: zipPath) } throws: { "\($0)".contains("pickle: stack underflow") }
        let legacy = try Fixtures.write([0x80, 2, 0x8A, 0x0A], name: "legacy.pt")
        #expect { try ModelFileReader.open(path: legacy) } throws: { "\($0)".contains("PyTorch") }
        let gguf = try Fixtures.write(Array("GGUF".utf8) + [3, 0, 0, 0], name: "m.gguf")
        #expect { try ModelFileReader.open(path: gguf) } throws: { "\($0)".contains("GGUF") }
    }

    @Test func unknownAndEmptyFilesAreRefusedWithTheFileName() throws {
        let empty = try Fixtures.write([], name: "empty.bin")
        #expect { try ModelFileReader.open(path: empty) } throws: { "\($0)".hasPrefix(empty) && "\($0)".contains("empty") }
        let text = try Fixtures.write(Array("hello".utf8), name: "hello.safetensors")
        #expect { try ModelFileReader.open(path: text) } throws: { "\($0)".contains("unrecognised") }
        #expect { try ModelFileReader.open(path: "/nonexistent/file") } throws: { "\($0)".contains("cannot open") }
        // A broken safetensors file reports its rule through the uniform error type.
        var broken = try Fixtures.bytes("safetensors/seed_tied.safetensors")
        broken.removeLast()
        let brokenPath = try Fixtures.write(broken, name: "broken.bin")
        #expect { try ModelFileReader.open(path: brokenPath) } throws: { error in
            (error as? ModelFileError)?.message.contains("MetadataIncompleteBuffer") == true
        }
    }

    @Test func modelFolderWithConfigAndSingleFile() throws {
        let folder = try Fixtures.scratchFolder()
        try copy("safetensors/seed_chimera.safetensors", to: folder + "/model.safetensors")
        let config = #"{"model_type": "chimera", "hidden_size": 64, "rope_scaling": {"type": "linear", "factor": 2.0}, "layers": [1, 2], "tie": true}"#
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder + "/config.json"))
        #expect(ModelFolderReader.isModelFolder(folder))
        let archive = try ModelFileReader.open(path: folder)
        #expect(archive.format == "folder/safetensors")
        #expect(archive.metadataValue("model_type") == "chimera")
        #expect(archive.metadataValue("hidden_size") == "64")
        #expect(archive.metadataValue("rope_scaling.type") == "linear")
        #expect(archive.metadataValue("rope_scaling.factor") == "2.0")
        #expect(archive.metadataValue("layers") == "[1,2]")
        #expect(archive.metadataValue("tie") == "true")
        let direct = try SafeTensorsReader.read(path: Fixtures.path("safetensors/seed_chimera.safetensors"))
        #expect(archive.tensors.map(\.name) == direct.tensors.map(\.name))
        #expect(archive.tensors.contains { $0.name == "2.rand_weight" })
    }

    @Test func shardedFolderAndPyTorchFolder() throws {
        let sharded = try Fixtures.scratchFolder()
        for file in ["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] {
            try copy("safetensors/" + file, to: sharded + "/" + file)
        }
        let archive = try ModelFileReader.open(path: sharded)
        #expect(archive.format == "folder/safetensors-sharded")
        #expect(archive.tensors.count == 6)
        #expect(archive.metadataValue("total_size") == "104488")

        let pytorch = try Fixtures.scratchFolder()
        try copy("pytorch/tiny.pt", to: pytorch + "/pytorch_model.bin")
        let checkpoint = try ModelFileReader.open(path: pytorch)
        #expect(checkpoint.tensors.map(\.name).sorted() == ["0.bias", "0.weight"])

        let bad = try Fixtures.scratchFolder()
        try copy("safetensors/seed_tied.safetensors", to: bad + "/model.safetensors")
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: bad + "/config.json"))
        #expect { try ModelFileReader.open(path: bad) } throws: { "\($0)".contains("config.json is not valid JSON") }

        let nothing = try Fixtures.scratchFolder()
        #expect { try ModelFileReader.open(path: nothing) } throws: { "\($0)".contains("holds none of") }
    }
}
