import Foundation
import NNCore
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Limits no input can exceed: every size a file claims is checked (against a fixed cap or the bytes present)
/// before anything is allocated, and nesting is bounded before it can exhaust the stack.
@Suite struct InputLimitsTests {
    private func message(of body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: whole models

    @Test func aStateDictOverTheTotalLimitIsRefusedBeforeAnythingIsAllocated() throws {
        // seed_tied: 0.weight 32, 0.bias 8, 2.weight 64 (= 4.weight), 2.bias 8 (= 4.bias), 6.weight 8, 6.bias 1:
        // 121 distinct elements; the tied tensors count once.
        let archive = try ModelFileReader.open(path: Fixtures.path("safetensors/seed_tied.safetensors"))
        let loaded = try archive.stateDict(totalLimit: 121)
        #expect(loaded.count == 8)
        let text = try #require(message { _ = try archive.stateDict(totalLimit: 120) })
        #expect(text.contains("total more than 120 elements"), "\(text)")
        #expect(text.contains("browse the file"))
        #expect(TensorLimits.maxTotalElements >= TensorLimits.maxElements)
    }

    // MARK: safetensors

    @Test func safetensorsHeaderLengthIsCapped() throws {
        var bytes: [UInt8] = []
        bytes.appendLE(UInt64(1) << 60)
        bytes += Array("{}      ".utf8)
        let text = try #require(message { _ = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes)) })
        #expect(text.contains("more than the 100000000-byte limit"))
    }

    @Test func safetensorsHeaderNestingIsCapped() throws {
        let json = "{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        var bytes: [UInt8] = []
        bytes.appendLE(UInt64(json.utf8.count))
        bytes += Array(json.utf8)
        let text = try #require(message { _ = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes)) })
        #expect(text.lowercased().contains("deep") || text.lowercased().contains("nest"))
    }

    @Test func safetensorsShapeIsCheckedAgainstTheBytesPresent() throws {
        let json = #"{"w":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,4]}}"#
        var bytes: [UInt8] = []
        bytes.appendLE(UInt64(json.utf8.count))
        bytes += Array(json.utf8) + [0, 0, 0, 0]
        #expect(message { _ = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes)) } != nil)
    }

    // MARK: NumPy

    private func npy(header: String, data: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes.appendLE(UInt16(header.utf8.count))
        return bytes + Array(header.utf8) + data
    }

    @Test func npyHeaderLengthIsCapped() throws {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [2, 0]
        bytes.appendLE(UInt32(1 << 30))
        let text = try #require(message { _ = try NumPyReader.array(in: ByteBuffer(copying: bytes), name: "a", key: "a") })
        #expect(text.contains("10000-byte limit"))
    }

    @Test func npyElementCountIsCheckedAgainstTheBytesPresent() throws {
        let claimsMore = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000), }\n", data: [0, 0, 0, 0])
        let text = try #require(message { _ = try NumPyReader.array(in: ByteBuffer(copying: claimsMore), name: "a", key: "a") })
        #expect(text.contains("only 4 are present"))
        let overflows = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n")
        #expect(message { _ = try NumPyReader.array(in: ByteBuffer(copying: overflows), name: "a", key: "a") } != nil)
    }

    // MARK: pickle

    private func unpickle(_ body: [UInt8]) -> String? {
        let bytes: [UInt8] = [0x80, 0x02] + body
        return message { _ = try bytes.withUnsafeBytes { try RestrictedUnpickler.load($0) } }
    }

    @Test func pickleMarkNestingIsCapped() throws {
        let text = try #require(unpickle(Array(repeating: 0x28, count: 5000) + [0x2E]))
        #expect(text.contains("1000"))
    }

    @Test func pickleStringLengthsAreCheckedAgainstTheBytesPresent() throws {
        var binunicode: [UInt8] = [0x58]
        binunicode.appendLE(UInt32(0x7FFF_FFFF))
        #expect(unpickle(binunicode + Array("abc".utf8)) != nil)
        var bytes8: [UInt8] = [0x8E]
        bytes8.appendLE(UInt64(1) << 62)
        #expect(unpickle(bytes8 + [1, 2, 3]) != nil)
    }

    @Test func pickleLongIntegersAreCapped() throws {
        var long4: [UInt8] = [0x8B]
        long4.appendLE(UInt32(4096))
        let text = try #require(unpickle(long4 + Array(repeating: 1, count: 4096) + [0x2E]))
        #expect(text.contains("1024"))
    }

    // MARK: GGUF

    private func ggufHeader(tensors: UInt64, keyValues: UInt64) -> [UInt8] {
        var bytes = Array("GGUF".utf8)
        bytes.appendLE(UInt32(3))
        bytes.appendLE(tensors)
        bytes.appendLE(keyValues)
        return bytes
    }

    @Test func ggufCountsAndStringLengthsAreCheckedAgainstTheBytesPresent() throws {
        #expect(message { _ = try GGUFReader.read(buffer: ByteBuffer(copying: ggufHeader(tensors: 1 << 60, keyValues: 0)), source: "x") } != nil)
        var longKey = ggufHeader(tensors: 0, keyValues: 1)
        longKey.appendLE(UInt64(1) << 40)
        longKey += Array("general".utf8)
        #expect(message { _ = try GGUFReader.read(buffer: ByteBuffer(copying: longKey), source: "x") } != nil)
    }

    // MARK: the spec language

    @Test func specNestingIsCapped() throws {
        let source = "model = " + String(repeating: "Sequential(", count: 200) + String(repeating: ")", count: 200) + "\n"
        let text = try #require(message { _ = try ModelSpec.parse(source, limits: SpecLimits(maxLineLength: 100_000)) })
        #expect(text.contains("64"))
    }

    @Test func specSizesAreCappedBeforeAllocating() throws {
        let text = try #require(message {
            _ = try ModelSpec.parse("model = Linear(4, 2)\ninput = rand(4611686018427387904, 4611686018427387904)\n")
        })
        #expect(text.contains("limit") || text.contains("elements"))
        #expect(message { _ = try ModelSpec.parse("model = Linear(100000000, 100000000)\ninput = rand(2, 100000000)\n") } != nil)
    }

    @Test func specFileLineAndStatementCountsAreCapped() throws {
        let small = SpecLimits(maxFileBytes: 100, maxLineLength: 20, maxNestingDepth: 4, maxStatements: 3)
        #expect(message { _ = try ModelSpec.parse(String(repeating: "# comment\n", count: 20), limits: small) } != nil)
        #expect(message { _ = try ModelSpec.parse("model = Linear(" + String(repeating: "1", count: 30) + ")\n", limits: small) } != nil)
        #expect(message { _ = try ModelSpec.parse("a = 1\nb = 2\nc = 3\nd = 4\n", limits: small) } != nil)
    }

    @Test func specSelfReferenceIsAnError() throws {
        #expect(message { _ = try ModelSpec.parse("model = model\n") } != nil)
        #expect(message { _ = try ModelSpec.parse("a = b\nb = a\nmodel = Sequential(a)\n") } != nil)
    }

    // MARK: one tensor's memory

    /// A zero-stride view (PyTorch's `expand`) over 4 bytes that claims 2^40 elements.
    private var expandedView: TensorRecord {
        TensorRecord(name: "v", type: .f32, shape: [1 << 20, 1 << 20], strides: [0, 0],
                     storage: StorageReference(buffer: ByteBuffer(copying: [0, 0, 0x80, 0x3F]), byteOffset: 0,
                                               byteCount: 4, key: "k"))
    }

    @Test func zeroStrideViewsCannotAllocateTheirClaimedSize() throws {
        let view = expandedView
        #expect(view.elementCount == 1 << 40)
        #expect(try view.readFloat(at: (1 << 40) - 1) == 1)
        let copy = try #require(message { _ = try view.rowMajorBytes() })
        #expect(copy.contains("more than the \(TensorLimits.maxElements)"))
        #expect(message { _ = try view.makeTensor() } != nil)
        #expect(message { _ = try view.floatValues(limit: TensorLimits.maxElements) } != nil)
        var longRow = view
        longRow.shape = [1, 1 << 40]
        #expect(message { try longRow.withFloatRows(0 ..< 1) { _, _ in } }?.contains("sampled columns") == true)
        // Sampled down to the heatmap's width, the same view reads fine.
        var sampled: [Float] = []
        try view.withFloatRows(0 ..< 1, columnStep: 1 << 14) { _, row in sampled = Array(row) }
        #expect(sampled == Array(repeating: 1, count: 64))
    }

    @Test func elementCountNeverTraps() throws {
        var record = expandedView
        record.shape = [1 << 40, 1 << 40]
        #expect(record.elementCount == Int.max)
        #expect(record.matrixShape.rows == 1 << 40)
        record.shape = [1 << 40, 1 << 40, 0]
        #expect(record.elementCount == 0)
        #expect(record.matrixShape.rows == Int.max)
        record.shape = [1 << 40, 0, 1 << 40, 4]
        #expect(record.matrixShape.rows == 0)
        #expect(TensorRecord.rowMajorStrides([1 << 40, 1 << 40, 1 << 40, 0]) == [Int.max, 1 << 40, 1, 1])
        // A Fortran-order empty .npy whose sizes overflow when multiplied is read, not trapped on.
        var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (0, 1099511627776, 1099511627776), }\n"
        npy.appendLE(UInt16(header.utf8.count))
        npy += Array(header.utf8)
        #expect(try NumPyReader.array(in: ByteBuffer(copying: npy), name: "e", key: "e").shape == [0, 1 << 40, 1 << 40])
    }

    @Test func checkedCreationRefusesBeforeAllocating() throws {
        let huge = try #require(message { _ = try TensorLimits.zeros([1 << 40, 1 << 40], what: "w") })
        #expect(huge.contains("w: shape [1099511627776, 1099511627776] has more elements than memory can address"))
        #expect(message { _ = try TensorLimits.zeros([1 << 20, 1 << 20], what: "w") }?.contains("more than the limit") == true)
        #expect(message { _ = try TensorLimits.zeros([-1, 2], what: "w") }?.contains("negative size") == true)
        #expect(try TensorLimits.zeros([2, 3], what: "w").shape == [2, 3])
    }
}

/// Bad numbers in loaded weights are found by name without materialising the tensors.
@Suite struct ArchiveNonFiniteTests {
    private func archive(_ values: [[Float]]) -> TensorArchive {
        let records = values.enumerated().map { index, row in
            let bytes = row.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
            return TensorRecord(name: "t\(index)", type: .f32, shape: [2, row.count / 2],
                                storage: StorageReference(buffer: ByteBuffer(copying: bytes), byteOffset: 0,
                                                          byteCount: bytes.count, key: "k\(index)"))
        }
        return TensorArchive(tensors: records, source: "mem", format: "test")
    }

    @Test func firstNonFiniteRecordIsNamedWithItsIndex() throws {
        #expect(try archive([[1, 2, 3, 4], [5, 6]]).firstNonFinite() == nil)
        let finding = try #require(try archive([[1, 2, 3, 4], [5, 6, .infinity, .nan]]).firstNonFinite())
        #expect(finding.name == "t1")
        #expect(finding.kind == .inf)
        #expect(finding.elementIndex == 2)
        #expect(finding.isGradient == false)
    }

    @Test func hugeViewsAreRefusedNotScanned() throws {
        let view = TensorRecord(name: "v", type: .f32, shape: [1 << 20, 1 << 20], strides: [0, 0],
                                storage: StorageReference(buffer: ByteBuffer(copying: [0, 0, 0x80, 0x7F]), byteOffset: 0,
                                                          byteCount: 4, key: "k"))
        let archive = TensorArchive(tensors: [view], source: "mem", format: "test")
        #expect(throws: ModelFileError.self) { _ = try archive.firstNonFinite() }
        // The same storage seen as a small broadcast view is scanned: every element is that Inf.
        var small = view
        small.shape = [3, 4]
        let finding = try #require(try TensorArchive(tensors: [small], source: "mem", format: "test").firstNonFinite())
        #expect(finding.elementIndex == 0)
        #expect(finding.value == .infinity)
    }
}
