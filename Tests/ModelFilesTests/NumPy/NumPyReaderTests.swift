import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct NumPyReaderTests {
    /// A `.npy` file of the given version with `header` (padded as NumPy does) and `data`.
    func npy(_ header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        let lengthSize = major == 1 ? 2 : 4
        var text = Array(header.utf8)
        let unpadded = 8 + lengthSize + text.count + 1
        text += Array(repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        if major == 1 { bytes.appendLE(UInt16(text.count)) } else { bytes.appendLE(UInt32(text.count)) }
        return bytes + text + data
    }

    func read(_ bytes: [UInt8]) throws -> TensorRecord {
        try NumPyReader.array(in: ByteBuffer(copying: bytes), name: "x", key: "x")
    }

    func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    @Test func cOrderFixture() throws {
        let archive = try ModelFileReader.open(path: Fixtures.path("numpy/a.npy"))
        #expect(archive.format == "npy")
        let record = try #require(archive.tensors.first)
        #expect(record.name == "a" && record.type == .f32 && record.shape == [3, 4])
        let raw = Array(record.storage.bytes)
        let expected = stride(from: 0, to: raw.count, by: 4).map {
            Float(bitPattern: UInt32(raw[$0]) | UInt32(raw[$0 + 1]) << 8 | UInt32(raw[$0 + 2]) << 16 | UInt32(raw[$0 + 3]) << 24)
        }
        #expect(try record.floatValues(limit: 12) == expected)
    }

    @Test func fortranOrderFixtureIsTransposedIntoPlace() throws {
        let record = try #require(try NumPyReader.readArray(path: Fixtures.path("numpy/fortran.npy")).tensors.first)
        #expect(record.type == .f64 && record.shape == [3, 5] && record.strides == [1, 3])
        let raw = Array(record.storage.bytes)
        let stored = stride(from: 0, to: raw.count, by: 8).map { start in
            Double(bitPattern: (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(raw[start + $1]) << (8 * $1) })
        }
        let values = try record.floatValues(limit: 15)
        for row in 0 ..< 3 {
            for column in 0 ..< 5 {
                // Column-major storage: element [row, column] is stored at column * rows + row.
                #expect(values[row * 5 + column] == Float(stored[column * 3 + row]))
            }
        }
        // A row of the matrix view reads the same numbers without materialising the tensor.
        var secondRow: [Float] = []
        try record.withFloatRows([1]) { _, row in secondRow = Array(row) }
        #expect(secondRow == Array(values[5 ..< 10]))
        var sampled: [Float] = []
        try record.withFloatRows([2], columnStep: 2) { _, row in sampled = Array(row) }
        #expect(sampled == [values[10], values[12], values[14]])
        // Writing it as safetensors gathers it into row-major order.
        let bytes = try record.rowMajorBytes()
        let copy = TensorRecord(name: "c", type: .f64, shape: [3, 5],
                                storage: StorageReference(buffer: bytes, byteOffset: 0, byteCount: bytes.count, key: "c"))
        #expect(try copy.floatValues(limit: 15) == values)
    }

    @Test func storedAndCompressedNpzAgree() throws {
        let stored = try ModelFileReader.open(path: Fixtures.path("numpy/mlp.npz"))
        let compressed = try ModelFileReader.open(path: Fixtures.path("numpy/mlp_compressed.npz"))
        #expect(stored.format == "npz" && compressed.format == "npz")
        let shapes = Dictionary(uniqueKeysWithValues: stored.tensors.map { ($0.name, $0.shape) })
        #expect(shapes == ["0.weight": [256, 20], "0.bias": [256], "2.weight": [10, 256], "2.bias": [10]])
        for record in stored.tensors {
            let other = try #require(compressed.tensor(named: record.name))
            #expect(other.type == .f32 && other.shape == record.shape)
            #expect(try other.floatValues(limit: 10_000) == record.floatValues(limit: 10_000))
        }
        // Stored members point into the archive's own mapping (zero copy).
        let zip = try ZipArchiveReader(path: Fixtures.path("numpy/mlp.npz"))
        let member = try zip.requireEntry(named: "0.bias.npy")
        let bias = try #require(try NumPyReader.readArchive(zip).tensor(named: "0.bias"))
        #expect(bias.storage.byteCount == 256 * 4)
        #expect(bias.storage.buffer.base == zip.buffer.base! + member.dataOffset)
        #expect(bias.storage.byteOffset + bias.storage.byteCount == member.compressedSize)
    }

    @Test func versionsTwoAndThreeAndIntegerTypes() throws {
        let header = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }"
        let data: [UInt8] = [0xFF, 0xFF, 2, 0, 0, 0x80]
        for major: UInt8 in [1, 2, 3] {
            #expect(try read(npy(header, data: data, major: major)).floatValues(limit: 3) == [-1, 2, -32768])
        }
        let scalar = try read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", data: floatBytes([2.5])))
        #expect(scalar.shape == [])
        #expect(try scalar.floatValues(limit: 1) == [2.5])
        let bools = try read(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", data: [1, 0]))
        #expect(try bools.floatValues(limit: 2) == [1, 0])
        let unicodeV3 = try read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: floatBytes([1]), major: 3))
        #expect(unicodeV3.type == .f32)
    }

    @Test(arguments: [
        ("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "object arrays"),
        ("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "big-endian"),
        ("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "unsupported .npy dtype"),
        ("{'descr': '<f4', 'shape': (1,), }", "expected exactly"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1, }", "expected exactly"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", "fortran_order"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "non-negative"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ('a',), }", "non-negative"),
        ("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", "expected"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "overflows"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "needs 8 data bytes"),
    ])
    func badHeadersAreRefused(header: String, detail: String) {
        #expect {
            try read(npy(header, data: [0, 0, 0, 0]))
        } throws: { error in
            "\(error)".contains(detail)
        }
    }

    @Test func badPreamblesAreRefused() throws {
        let good = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 128, 63])
        #expect(try read(good).floatValues(limit: 1) == [1])
        var badVersion = good
        badVersion[6] = 4
        #expect { try read(badVersion) } throws: { "\($0)".contains("version 4.0") }
        var hugeHeader = good
        hugeHeader.setLE(UInt16(60_000), at: 8)
        #expect { try read(hugeHeader) } throws: { "\($0)".contains("limit") }
        var trailing = good
        trailing.append(0)
        #expect { try read(trailing) } throws: { "\($0)".contains("after the data") }
        for length in 0 ..< good.count {
            #expect(throws: ModelFileError.self) { try read(Array(good[0 ..< length])) }
        }
    }

    @Test func npzWithANonArrayMemberIsRefused() throws {
        let zip = ZipBuilder(members: [.init(name: "notes.txt", bytes: Array("hi".utf8)),
                                       .init(name: "a.npy", bytes: npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", data: [1]))])
        let reader = try ZipArchiveReader(buffer: ByteBuffer(copying: zip.build().bytes), source: "x.npz")
        #expect { try NumPyReader.readArchive(reader) } throws: { "\($0)".contains("not a .npy array") }
    }
}
