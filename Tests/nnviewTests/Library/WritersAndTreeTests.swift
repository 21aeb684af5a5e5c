import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

/// The library pieces the commands are built from: the stored-zip and .npy writers, the dotted-name tree and the
/// diff arithmetic.
@Suite struct WritersAndTreeTests {
    @Test func checksumIsZlibsCRC32() {
        // The standard check value of CRC-32/ISO-HDLC: crc32("123456789") = 0xCBF43926.
        var checksum = ZipChecksum()
        Array("12345".utf8).withUnsafeBytes { checksum.update($0) }
        Array("6789".utf8).withUnsafeBytes { checksum.update($0) }
        #expect(checksum.value == 0xCBF4_3926)
    }

    @Test func npyHeaderIsVersionOneAlignedTo64() throws {
        for shape in [[], [3], [2, 3], [0, 4], [7, 1, 1, 9]] {
            let header = try NumPyWriter.header(descr: "<f4", shape: shape, path: "x.npy")
            #expect(header.count % 64 == 0, "data starts on a 64-byte boundary: \(header.count)")
            #expect(Array(header.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
            #expect(header.last == 0x0A)
            let text = String(decoding: header.dropFirst(10), as: UTF8.self)
            let expectedShape = shape.count == 1 ? "(3,)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
            #expect(text.contains("'shape': \(expectedShape)"), "\(text)")
        }
    }

    @Test func zipWriterOutputReadsBackWithTheStrictReader() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("a.zip").path
        let first = ByteBuffer(copying: Array("hello ".utf8))
        let second = ByteBuffer(copying: Array("world".utf8))
        try ZipWriter.write([.init(name: "dir/x.bin", chunks: [first, second]), .init(name: "empty", chunks: [])], to: path)
        let zip = try ZipArchiveReader(path: path)
        #expect(zip.entries.map(\.name) == ["dir/x.bin", "empty"])
        let entry = try zip.requireEntry(named: "dir/x.bin")
        #expect(Array(try zip.storedBytes(of: entry).bytes) == Array("hello world".utf8))
        var checksum = ZipChecksum()
        Array("hello world".utf8).withUnsafeBytes { checksum.update($0) }
        #expect(entry.crc32 == checksum.value)
        #expect(try zip.storedBytes(of: zip.requireEntry(named: "empty")).count == 0)
        #expect(throws: ModelFileError.self) {
            try ZipWriter.write([.init(name: "same", chunks: []), .init(name: "same", chunks: [])], to: path)
        }
    }

    @Test func treeOrdersIndicesAsNumbersAndKeepsFileOrderOtherwise() {
        let names = ["layers.10.w", "layers.2.w", "layers.2.b", "embed", "embed.scale", "head.w"]
        let tree = DottedNameTree(names: names)
        #expect(tree.nodes.map(\.path) == ["layers", "layers.2", "layers.2.w", "layers.2.b", "layers.10", "layers.10.w",
                                           "embed", "embed.scale", "head", "head.w"])
        let embed = tree.nodes.first { $0.path == "embed" }
        #expect(embed?.leafIndex == 3 && embed?.nameIndices == [3, 4], "a name that is also a prefix is leaf and folder")
        #expect(tree.nodes.first { $0.path == "layers" }?.nameIndices == [0, 1, 2])
        #expect(tree.nodes.map(\.depth) == [0, 1, 2, 2, 1, 2, 0, 1, 0, 1])
    }

    @Test func diffArithmetic() throws {
        func archive(_ values: [Float], name: String = "w") -> TensorArchive {
            let buffer = values.withUnsafeBytes { ByteBuffer(copying: $0) }
            let record = TensorRecord(name: name, type: .f32, shape: [values.count],
                                      storage: StorageReference(buffer: buffer, byteOffset: 0, byteCount: buffer.count, key: name))
            return TensorArchive(tensors: [record], source: "mem", format: "test")
        }
        // a = [3, 4] (norm 5), b = [3, 1]: max |a−b| = 3, ‖a−b‖/‖a‖ = 3/5.
        let simple = try TensorDiff.compare(archive([3, 4]), archive([3, 1])).compared[0]
        #expect(simple.maxAbsoluteDifference == 3 && abs(simple.relativeNormDifference - 0.6) < 1e-12)
        // NaN against NaN and equal infinities are equal; NaN against a number is not.
        #expect(try TensorDiff.compare(archive([.nan, .infinity]), archive([.nan, .infinity])).isIdentical)
        #expect(try TensorDiff.compare(archive([.nan, 1]), archive([2, 1])).compared[0].maxAbsoluteDifference.isNaN)
        // A zero reference with a difference has an infinite relative difference.
        #expect(try TensorDiff.compare(archive([0, 0]), archive([0, 1])).compared[0].relativeNormDifference == .infinity)
        let renamed = try TensorDiff.compare(archive([1], name: "a"), archive([1], name: "b"))
        #expect(renamed.onlyInA == ["a"] && renamed.onlyInB == ["b"] && !renamed.isIdentical)
    }
}
