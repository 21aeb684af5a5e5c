import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct SafeTensorsFixtureTests {
    @Test func dtypesFixtureOpensWithEveryType() throws {
        let archive = try SafeTensorsReader.read(path: Fixtures.path("safetensors/dtypes.safetensors"))
        var types: [String: (ElementType, [Int])] = [:]
        for record in archive.tensors { types[record.name] = (record.type, record.shape) }
        #expect(types["f32"]! == (.f32, [3, 4]))
        #expect(types["f16"]! == (.f16, [3, 4]))
        #expect(types["bf16"]! == (.bf16, [3, 4]))
        #expect(types["f64"]! == (.f64, [2, 2]))
        #expect(types["i64"]! == (.i64, [6]))
        #expect(types["i32"]! == (.i32, [2, 3]))
        #expect(types["i8"]! == (.i8, [3]))
        #expect(types["scalar"]! == (.f32, []))
        #expect(types["empty"]! == (.f32, [0, 4]))
        #expect(archive.tensors.contains { $0.type == .u8 })
        #expect(archive.tensors.contains { $0.type == .bool })
        #expect(archive.metadataValue("format") == "pt")
        #expect(archive.metadataValue("note") == "one tensor per dtype")
        #expect(archive.aliases.isEmpty)
    }

    /// Little-endian unsigned integers of `width` bytes read from a record's storage, as an independent oracle.
    func rawWords(_ record: TensorRecord, width: Int) -> [UInt64] {
        let bytes = Array(record.storage.bytes)
        return stride(from: 0, to: bytes.count, by: width).map { start in
            (0 ..< width).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << (8 * $1) }
        }
    }

    @Test func dtypesValuesDecodeLikeTheirBitPatterns() throws {
        let archive = try SafeTensorsReader.read(path: Fixtures.path("safetensors/dtypes.safetensors"))
        func record(_ name: String) throws -> TensorRecord { try #require(archive.tensor(named: name)) }
        let f32 = try record("f32")
        #expect(try f32.floatValues(limit: 12) == rawWords(f32, width: 4).map { Float(bitPattern: UInt32($0)) })
        let f16 = try record("f16")
        #expect(try f16.floatValues(limit: 12) == rawWords(f16, width: 2).map { Float(Float16(bitPattern: UInt16($0))) })
        let bf16 = try record("bf16")
        #expect(try bf16.floatValues(limit: 12) == rawWords(bf16, width: 2).map { Float(bitPattern: UInt32($0) << 16) })
        let f64 = try record("f64")
        #expect(try f64.floatValues(limit: 4) == rawWords(f64, width: 8).map { Float(Double(bitPattern: $0)) })
        // The integer tensors hold small known runs (checked with NumPy when the fixture was read).
        #expect(try record("i64").floatValues(limit: 6) == [-3, -2, -1, 0, 1, 2])
        #expect(try record("i32").floatValues(limit: 6) == [0, 1, 2, 3, 4, 5])
        #expect(try record("i8").floatValues(limit: 3) == [-128, 0, 127])
        #expect(try record("u8").floatValues(limit: 6) == [250, 251, 252, 253, 254, 255])
        #expect(try record("bool").floatValues(limit: 3) == [1, 0, 1])
        #expect(try record("scalar").floatValues(limit: 1) == [3.5])
        #expect(try record("empty").floatValues(limit: 0).isEmpty)
        #expect(try f32.readFloat(at: 5) == Float(bitPattern: UInt32(rawWords(f32, width: 4)[5])))
        #expect(throws: ModelFileError.self) { try f32.floatValues(limit: 11) }
        #expect(throws: ModelFileError.self) { try f32.readFloat(at: 12) }
    }

    @Test func tiedAliasesShareOneStorage() throws {
        let archive = try SafeTensorsReader.read(path: Fixtures.path("safetensors/seed_tied.safetensors"))
        #expect(archive.aliases == ["4.weight": "2.weight", "4.bias": "2.bias"])
        let original = try #require(archive.tensor(named: "2.weight"))
        let alias = try #require(archive.tensor(named: "4.weight"))
        #expect(alias.storage.key == original.storage.key)
        #expect(alias.storage.byteOffset == original.storage.byteOffset)
        #expect(alias.shape == [8, 8])
        #expect(try alias.floatValues(limit: 64) == original.floatValues(limit: 64))
        #expect(archive.tensor(named: "4.bias")?.storage.key == archive.tensor(named: "2.bias")?.storage.key)
        #expect(Set(archive.tensors.map(\.name)) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"])
    }

    @Test func shardedCheckpointOpensThroughItsIndex() throws {
        let archive = try SafeTensorsIndex.read(path: Fixtures.path("safetensors/model.safetensors.index.json"))
        let shapes = Dictionary(uniqueKeysWithValues: archive.tensors.map { ($0.name, $0.shape) })
        #expect(shapes == ["0.weight": [128, 64], "0.bias": [128], "2.weight": [128, 128], "2.bias": [128],
                           "4.weight": [10, 128], "4.bias": [10]])
        let totalBytes = archive.tensors.reduce(0) { $0 + $1.storage.byteCount }
        #expect(archive.metadataValue("total_size") == String(totalBytes))
        // The same tensor read directly from its shard agrees.
        let shard = try SafeTensorsReader.read(path: Fixtures.path("safetensors/model-00002-of-00002.safetensors"))
        #expect(try archive.tensor(named: "4.bias")!.floatValues(limit: 10) == shard.tensor(named: "4.bias")!.floatValues(limit: 10))
        let viaEntryPoint = try ModelFileReader.open(path: Fixtures.path("safetensors/model.safetensors.index.json"))
        #expect(viaEntryPoint.tensors.count == 6)
    }

    @Test func shardedIndexProblemsAreReported() throws {
        let folder = try Fixtures.scratchFolder()
        for shard in ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("safetensors/" + shard), toPath: folder + "/" + shard)
        }
        func index(_ map: String) throws -> String {
            let path = folder + "/model.safetensors.index.json"
            try? FileManager.default.removeItem(atPath: path)
            try Data("{\"metadata\":{\"total_size\":1},\"weight_map\":{\(map)}}".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let wrongShard = try index("\"0.bias\":\"model-00002-of-00002.safetensors\"")
        #expect { try SafeTensorsIndex.read(path: wrongShard) } throws: { "\($0)".contains("does not hold it") }
        let traversal = try index("\"0.bias\":\"../etc/passwd\"")
        #expect { try SafeTensorsIndex.read(path: traversal) } throws: { "\($0)".contains("not a file name") }
        let incomplete = try index("\"0.bias\":\"model-00001-of-00002.safetensors\"")
        #expect { try SafeTensorsIndex.read(path: incomplete) } throws: { "\($0)".contains("does not list") }
        let missingFile = try index("\"0.bias\":\"model-00009-of-00009.safetensors\"")
        #expect { try SafeTensorsIndex.read(path: missingFile) } throws: { "\($0)".contains("cannot open") }
    }

    @Test(arguments: ["dtypes", "seed_tied", "seed_chimera", "model-00001-of-00002", "model-00002-of-00002"])
    func writerRoundTripsFixturesBitExactly(name: String) throws {
        let source = Fixtures.path("safetensors/\(name).safetensors")
        let archive = try SafeTensorsReader.read(path: source)
        let tensors = try archive.tensors.filter { archive.aliases[$0.name] == nil }.map(SafeTensorsWriter.Tensor.init(record:))
        let output = try Fixtures.scratchFolder() + "/out.safetensors"
        try SafeTensorsWriter.write(tensors: tensors, metadata: archive.metadata, to: output)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func writerStoresTiedTensorsOnceLikeSaveModel() throws {
        let source = Fixtures.path("safetensors/seed_tied.safetensors")
        let archive = try SafeTensorsReader.read(path: source)
        // All eight names, tied ones sharing a storage key: the writer must drop 4.* and record them as aliases.
        let order = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"]
        let tensors = try order.map { try SafeTensorsWriter.Tensor(record: archive.tensor(named: $0)!) }
        let output = try Fixtures.scratchFolder() + "/tied.safetensors"
        try SafeTensorsWriter.write(tensors: tensors, to: output, storeTiedOnce: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func writeIsAtomicAndRefusesToOverwriteWhenAsked() throws {
        let folder = try Fixtures.scratchFolder()
        let path = folder + "/w.safetensors"
        let tensor = SafeTensorsWriter.Tensor(name: "x", type: .f32, shape: [2], bytes: [0, 0, 128, 63, 0, 0, 0, 64])
        try SafeTensorsWriter.write(tensors: [tensor], to: path, overwrite: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["w.safetensors"])
        #expect(try SafeTensorsReader.read(path: path).tensor(named: "x")!.floatValues(limit: 2) == [1, 2])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let other = SafeTensorsWriter.Tensor(name: "y", type: .u8, shape: [1], bytes: [7])
        #expect { try SafeTensorsWriter.write(tensors: [other], to: path, overwrite: false) } throws: { "\($0)".contains("already exists") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["w.safetensors"])
        try SafeTensorsWriter.write(tensors: [other], to: path, overwrite: true)
        #expect(try SafeTensorsReader.read(path: path).tensors.map(\.name) == ["y"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["w.safetensors"])
        // A failed write (bad tensor) leaves no temporary file behind.
        let bad = SafeTensorsWriter.Tensor(name: "z", type: .f32, shape: [3], bytes: [1, 2])
        #expect(throws: SafeTensorsError.self) { try SafeTensorsWriter.write(tensors: [bad], to: folder + "/bad.safetensors") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["w.safetensors"])
    }

    @Test func writerRejectsBadInput() throws {
        let path = try Fixtures.scratchFolder() + "/x.safetensors"
        let reserved = SafeTensorsWriter.Tensor(name: "__metadata__", type: .u8, shape: [1], bytes: [1])
        #expect { try SafeTensorsWriter.write(tensors: [reserved], to: path) } throws: { ($0 as? SafeTensorsError)?.kind == .reservedName }
        let twice = [SafeTensorsWriter.Tensor(name: "a", type: .u8, shape: [1], bytes: [1]),
                     SafeTensorsWriter.Tensor(name: "a", type: .u8, shape: [1], bytes: [2])]
        #expect { try SafeTensorsWriter.write(tensors: twice, to: path) } throws: { ($0 as? SafeTensorsError)?.kind == .duplicateName }
        let hugeName = SafeTensorsWriter.Tensor(name: String(repeating: "n", count: 100_000_001), type: .u8, shape: [0], bytes: [])
        #expect { try SafeTensorsWriter.write(tensors: [hugeName], to: path) } throws: { ($0 as? SafeTensorsError)?.kind == .headerTooLarge }
    }

    @Test func sixteenGigabyteFileOpensWithoutReadingData() throws {
        // 300 tensors of 13_981_013 F32 elements each (≈ 16.8 GB) in a sparse file: only the header is real.
        let elements = 13_981_013
        let tensors = (0 ..< 300).map { index in
            (name: "layers.\(index).weight", bytes: elements * 4)
        }
        var json = "{"
        var offset = 0
        json += tensors.map { tensor in
            defer { offset += tensor.bytes }
            return "\"\(tensor.name)\":{\"dtype\":\"F32\",\"shape\":[\(elements)],\"data_offsets\":[\(offset),\(offset + tensor.bytes)]}"
        }.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        header += Array(repeating: 0x20, count: (8 - header.count % 8) % 8)
        var file: [UInt8] = []
        file.appendLE(UInt64(header.count))
        file += header
        let path = try Fixtures.write(file, name: "huge.safetensors")
        let total = file.count + offset
        #expect(truncate(path, off_t(total)) == 0)
        let archive = try ModelFileReader.open(path: path)
        #expect(archive.tensors.count == 300)
        #expect(archive.tensors.last!.storage.byteOffset + archive.tensors.last!.storage.byteCount == total)
        // Nothing past the header's pages is resident: the data was never touched.
        let buffer = archive.tensors[0].storage.buffer
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (buffer.count + pageSize - 1) / pageSize
        var residency = [UInt8](repeating: 0, count: pages)
        #expect(mincore(UnsafeMutableRawPointer(mutating: buffer.base!), buffer.count, &residency) == 0)
        let resident = residency.reduce(0) { $0 + Int($1 & 1) }
        #expect(resident < 2048, "\(resident) pages of \(pages) resident")
        try FileManager.default.removeItem(atPath: path)
    }
}
