import Testing
@testable import FileFormats
@testable import ModelFiles

/// Crafted checkpoints: each validation rule of the PyTorch reader gives one clear error, never a crash.
@Suite struct PyTorchHostileTests {
    /// A torch.save-shaped zip: `archive/data.pkl`, `archive/byteorder`, then the storages.
    static func checkpoint(pickle: [UInt8], storages: [String: [UInt8]] = ["0": [UInt8](repeating: 0, count: 16)]) -> [UInt8] {
        var builder = ZipBuilder()
        builder.members.append(.init(name: "archive/data.pkl", bytes: pickle))
        builder.members.append(.init(name: "archive/byteorder", bytes: Array("little".utf8)))
        for (key, bytes) in storages.sorted(by: { $0.key < $1.key }) {
            builder.members.append(.init(name: "archive/data/\(key)", bytes: bytes))
        }
        return builder.build().bytes
    }

    static func read(_ bytes: [UInt8]) throws -> TensorArchive {
        try PyTorchCheckpoint.read(buffer: ByteBuffer(copying: bytes), source: "bad.pt")
    }

    static func failure(_ bytes: [UInt8]) throws -> String {
        let error = try #require(throws: ModelFileError.self) { try read(bytes) }
        #expect(error.file == "bad.pt")
        return error.message
    }

    @Test func craftedCheckpointReads() throws {
        let pickle = PickleBuilder.tensorDict(numel: 4, offset: 1, size: [3], stride: [1])
        let storage: [UInt8] = [1, 2, 3, 4].flatMap { (value: Float) -> [UInt8] in
            withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        }
        let archive = try Self.read(Self.checkpoint(pickle: pickle, storages: ["0": storage]))
        #expect(archive.tensors.map(\.name) == ["w"])
        #expect(ReferenceTensors.values(archive.tensors[0]) == [2, 3, 4])
    }

    @Test func forbiddenGlobalInDataPkl() throws {
        var pickle = PickleBuilder()
        pickle.global("os", "system"); pickle.string("rm -rf /"); pickle.op(0x85); pickle.op(0x52); pickle.stop()
        #expect(try Self.failure(Self.checkpoint(pickle: pickle.bytes)) == "refusing pickle global os.system")
    }

    @Test func viewsMustFitTheirStorage() throws {
        let tooLong = PickleBuilder.tensorDict(numel: 4, size: [10], stride: [1])
        #expect(try Self.failure(Self.checkpoint(pickle: tooLong))
            == "tensor w: view (offset 0, size [10], stride [1]) needs 10 elements but its storage holds 4")
        let offset = PickleBuilder.tensorDict(numel: 4, offset: 3, size: [2], stride: [1])
        #expect(try Self.failure(Self.checkpoint(pickle: offset)).contains("needs 5 elements"))
        let strided = PickleBuilder.tensorDict(numel: 4, size: [2, 2], stride: [3, 1])
        #expect(try Self.failure(Self.checkpoint(pickle: strided)).contains("needs 5 elements"))
        let overflow = PickleBuilder.tensorDict(numel: 4, size: [3, 2], stride: [Int(Int32.max), 1])
        #expect(try Self.failure(Self.checkpoint(pickle: overflow)).contains("needs"))
        let mismatch = PickleBuilder.tensorDict(numel: 4, size: [2, 2], stride: [2])
        #expect(try Self.failure(Self.checkpoint(pickle: mismatch)).contains("size has 2 dimensions but stride has 1"))
        let negative = PickleBuilder.tensorDict(numel: 4, size: [-1], stride: [1])
        #expect(try Self.failure(Self.checkpoint(pickle: negative)).contains("not a non-negative int"))
        // An empty view touches no element, wherever its strides point.
        let empty = PickleBuilder.tensorDict(numel: 4, size: [0, 9], stride: [100, 1])
        #expect(try Self.read(Self.checkpoint(pickle: empty)).tensors[0].elementCount == 0)
    }

    @Test func storageEntriesMustHoldWhatTheyClaim() throws {
        let pickle = PickleBuilder.tensorDict(numel: 8, size: [8], stride: [1])
        #expect(try Self.failure(Self.checkpoint(pickle: pickle))
            == "tensor w: storage archive/data/0 holds 16 bytes but FloatStorage of 8 elements needs 32")
        #expect(try Self.failure(Self.checkpoint(pickle: pickle, storages: [:])).contains("storage member archive/data/0 is missing"))
        let quantized = PickleBuilder.tensorDict(storageClass: "QInt8Storage", numel: 4, size: [4], stride: [1])
        #expect(try Self.failure(Self.checkpoint(pickle: quantized)).contains("storage class QInt8Storage is not supported"))
    }

    @Test func otherFilesAreRefusedClearly() throws {
        #expect(try Self.failure(Array("PYTORCH1".utf8) + [0, 0, 0, 0]).contains("PYTORCH1"))
        #expect(try Self.failure(Array("hello, not a model".utf8)).contains("not a PyTorch checkpoint"))
        #expect(try Self.failure([]).contains("not a PyTorch checkpoint"))
        var builder = ZipBuilder()
        builder.members.append(.init(name: "archive/other.txt", bytes: [1]))
        #expect(try Self.failure(builder.build().bytes).contains("no data.pkl"))
        var flat = ZipBuilder()
        flat.members.append(.init(name: "data.pkl", bytes: [0x2E]))
        #expect(try Self.failure(flat.build().bytes).contains("not inside a folder"))
    }

    @Test func truncatedFilesFail() throws {
        let zip = try Fixtures.bytes("pytorch/views.pt")
        for length in [10, zip.count / 2, zip.count - 10] {
            _ = try Self.failure(Array(zip[0 ..< length]))
        }
        let legacy = try Fixtures.bytes("pytorch/seed_tied_legacy.pt")
        #expect(try Self.failure(Array(legacy[0 ..< legacy.count - 4])).contains("elements but only"))
        for length in [20, 100, 600, 1100] {
            _ = try Self.failure(Array(legacy[0 ..< length]))
        }
    }

    @Test func nonTensorValuesBecomeMetadata() throws {
        // {'epoch': 5, 'name': 'run'}: a training checkpoint's extra fields.
        var pickle = PickleBuilder()
        pickle.op(0x7D); pickle.mark()
        pickle.string("epoch"); pickle.int(5); pickle.string("name"); pickle.string("run")
        pickle.op(0x75); pickle.stop()
        let archive = try Self.read(Self.checkpoint(pickle: pickle.bytes))
        #expect(archive.tensors.isEmpty)
        #expect(archive.metadata.map(\.key) == ["epoch", "name"])
        #expect(archive.metadata.map(\.value) == ["5", "run"])
    }

    @Test func deflatedMembersAreInflatedAndLyingSizesRefused() throws {
        // views.pt re-zipped with DEFLATE by Python's zipfile; the lying copy claims 2 GiB for views/data/0.
        let path = Fixtures.path("pytorch/views_deflated.pt")
        let deflated = try PyTorchCheckpoint.read(buffer: ByteBuffer.map(path: path), source: path)
        let stored = try PyTorchCheckpointTests.open("views.pt")
        #expect(deflated.tensors.map { ReferenceTensors.values($0) } == stored.tensors.map { ReferenceTensors.values($0) })
        let lyingPath = Fixtures.path("pytorch/views_deflated_lying.pt")
        let error = try #require(throws: ModelFileError.self) {
            try PyTorchCheckpoint.read(buffer: ByteBuffer.map(path: lyingPath), source: lyingPath)
        }
        #expect(error.description.contains("views/data/0"))
    }

    @Test func sharedReferencesCannotExplodeTheWalk() throws {
        // x = None; 60 times x = (x, x): a 120-byte pickle whose tree has 2^60 leaves.
        var pickle = PickleBuilder()
        pickle.op(0x4E)
        for _ in 0 ..< 60 { pickle.op(0x32); pickle.op(0x86) }  // DUP, TUPLE2
        pickle.stop()
        #expect(try Self.failure(Self.checkpoint(pickle: pickle.bytes)).contains("more than 64 times"))
    }

    @Test func legacyHeaderRules() throws {
        let legacy = try Fixtures.bytes("pytorch/seed_tied_legacy.pt")
        // sys_info says little_endian=False: NEWTRUE after "little_endian" BINPUT 2 becomes NEWFALSE.
        var bigEndian = legacy
        let flag = try #require(Self.find(Array("little_endian".utf8), in: legacy)) + 13 + 2
        #expect(bigEndian[flag] == 0x88)
        bigEndian[flag] = 0x89
        #expect(try Self.failure(bigEndian) == "big-endian legacy checkpoint is not supported")
        // Protocol version 1001 (BININT2 0x03e9) changed to 1000.
        var oldProtocol = legacy
        #expect(oldProtocol[17 ..< 20] == [0x4D, 0xE9, 0x03])
        oldProtocol[18] = 0xE8
        #expect(try Self.failure(oldProtocol).contains("unsupported legacy protocol int 1000"))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0 ... haystack.count - needle.count).first { Array(haystack[$0 ..< $0 + needle.count]) == needle }
    }
}
