import Testing
@testable import FileFormats
@testable import ModelFiles

/// tiny.gguf (written by gguf-py) against gguf-py's own dequantization, and one crafted file per header rule.
@Suite struct GGUFReaderTests {
    static func tiny() throws -> TensorArchive {
        let path = Fixtures.path("gguf/tiny.gguf")
        return try GGUFReader.read(buffer: ByteBuffer.map(path: path), source: path)
    }

    @Test func tinyHasItsTensorsTypesAndMetadata() throws {
        let archive = try Self.tiny()
        #expect(archive.format == "gguf")
        #expect(archive.tensors.map(\.name) == ["token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight",
                                                "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.ffn_up.weight",
                                                "blk.0.ffn_down.weight"])
        #expect(archive.tensors.map(\.type) == [.f32, .f16, .ggml(8), .ggml(2), .ggml(3), .ggml(12), .ggml(14)])
        #expect(archive.tensors.map { $0.type.name } == ["F32", "F16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q6_K"])
        let metadata = Dictionary(uniqueKeysWithValues: archive.metadata.map { ($0.key, $0.value) })
        #expect(metadata["general.architecture"] == "llama")
        #expect(metadata["general.name"] == "tiny")
    }

    @Test func everyTensorDequantizesLikeGGUFPy() throws {
        let archive = try Self.tiny()
        let expected = try ReferenceTensors.safetensors(path: Fixtures.path("gguf/tiny.expect.safetensors"))
        #expect(expected.count == archive.tensors.count)
        for record in archive.tensors {
            let reference = try #require(expected[record.name])
            #expect(record.shape == reference.shape, "\(record.name)")
            let values = try GGUFDequantizer.floats(of: record).map(Double.init)
            #expect(ReferenceTensors.maxDifference(values, reference.values) <= 1e-6, "\(record.name)")
        }
    }

    @Test func plainTypesAlsoDecodeThroughTheSharedElementAccess() throws {
        for record in try Self.tiny().tensors where record.type == .f32 || record.type == .f16 {
            _ = try record.checkedLayout()
            #expect(try record.floatValues(limit: 1 << 20) == GGUFDequantizer.floats(of: record), "\(record.name)")
        }
    }

    @Test func undecodableTypesSaySo() throws {
        var record = try Self.tiny().tensors[2]
        record.type = .ggml(13)
        #expect(GGUFDequantizer.canDecode(record.type) == false)
        let error = try #require(throws: ModelFileError.self) { try GGUFDequantizer.floats(of: record) }
        #expect(error.message.contains("Q5_K is not decodable"))
    }

    @Test func halfConversionCoversSpecialValues() {
        #expect(GGUFDequantizer.halfToFloat(0x3C00) == 1)
        #expect(GGUFDequantizer.halfToFloat(0xC000) == -2)
        #expect(GGUFDequantizer.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(GGUFDequantizer.halfToFloat(0x7C00) == .infinity)
        #expect(GGUFDequantizer.halfToFloat(0x7E00).isNaN)
    }

    // MARK: - Crafted files

    struct TensorInfo {
        var name = "w"
        var dims: [UInt64] = [4]
        var type: UInt32 = 0
        var offset: UInt64 = 0
    }

    /// A GGUF file with one u32 key-value pair, the given tensor infos, and `dataBytes` of data.
    static func craft(version: UInt32 = 3, tensorCount: UInt64? = nil, pairCount: UInt64? = nil,
                      tensors: [TensorInfo] = [TensorInfo()], dataBytes: Int = 16,
                      extraPairs: (inout [UInt8]) -> Int = { _ in 0 }) -> [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        out.appendLE(version)
        out.appendLE(tensorCount ?? UInt64(tensors.count))
        let countAt = out.count
        out.appendLE(UInt64(0))
        func string(_ text: String) { out.appendLE(UInt64(text.utf8.count)); out.append(text) }
        string("general.architecture"); out.appendLE(UInt32(8)); string("test")
        let extra = extraPairs(&out)
        out.setLE(pairCount ?? UInt64(1 + extra), at: countAt)
        for info in tensors {
            string(info.name)
            out.appendLE(UInt32(info.dims.count))
            for dim in info.dims { out.appendLE(dim) }
            out.appendLE(info.type)
            out.appendLE(info.offset)
        }
        while out.count % 32 != 0 { out.append(0) }
        out += [UInt8](repeating: 0, count: dataBytes)
        return out
    }

    static func failure(_ bytes: [UInt8]) throws -> String {
        let error = try #require(throws: ModelFileError.self) {
            try GGUFReader.read(buffer: ByteBuffer(copying: bytes), source: "bad.gguf")
        }
        #expect(error.file == "bad.gguf")
        return error.message
    }

    @Test func craftedBaseFileIsValid() throws {
        let archive = try GGUFReader.read(buffer: ByteBuffer(copying: Self.craft()), source: "ok.gguf")
        #expect(archive.tensors.map(\.shape) == [[4]])
        #expect(try GGUFDequantizer.floats(of: archive.tensors[0]) == [0, 0, 0, 0])
    }

    @Test func badMagic() throws {
        var bytes = Self.craft()
        bytes[0] = UInt8(ascii: "X")
        #expect(try Self.failure(bytes).contains("bad magic"))
    }

    @Test(arguments: [UInt32(0), 1, 4, 0x0300_0000])
    func unsupportedVersions(version: UInt32) throws {
        let message = try Self.failure(Self.craft(version: version))
        #expect(message.contains("version"))
    }

    @Test func hugeCountsAreRefusedBeforeAllocating() throws {
        #expect(try Self.failure(Self.craft(tensorCount: UInt64.max)).contains("claims"))
        #expect(try Self.failure(Self.craft(pairCount: 1 << 60)).contains("claims"))
    }

    @Test func hugeStringAndArrayLengths() throws {
        let longString = Self.craft { out in
            out.appendLE(UInt64(4)); out.append("key2"); out.appendLE(UInt32(8)); out.appendLE(UInt64(1) << 40)
            return 1
        }
        #expect(try Self.failure(longString).contains("claims"))
        let longArray = Self.craft { out in
            out.appendLE(UInt64(4)); out.append("key2"); out.appendLE(UInt32(9)); out.appendLE(UInt32(4))
            out.appendLE(UInt64(1) << 50)
            return 1
        }
        #expect(try Self.failure(longArray).contains("array items"))
        let nested = Self.craft { out in
            out.appendLE(UInt64(4)); out.append("key2"); out.appendLE(UInt32(9)); out.appendLE(UInt32(9))
            out.appendLE(UInt64(1))
            return 1
        }
        #expect(try Self.failure(nested).contains("nested array"))
    }

    @Test func shortArraysAreShownAndLongOnesSummarised() throws {
        let bytes = Self.craft { out in
            out.appendLE(UInt64(5)); out.append("short"); out.appendLE(UInt32(9)); out.appendLE(UInt32(5))
            out.appendLE(UInt64(3)); for value in [1, -2, 3] as [Int32] { out.appendLE(value) }
            out.appendLE(UInt64(4)); out.append("long"); out.appendLE(UInt32(9)); out.appendLE(UInt32(0))
            out.appendLE(UInt64(100)); out += [UInt8](0 ..< 100)
            return 2
        }
        let metadata = Dictionary(uniqueKeysWithValues: try GGUFReader.read(buffer: ByteBuffer(copying: bytes), source: "")
            .metadata.map { ($0.key, $0.value) })
        #expect(metadata["short"] == "[1, -2, 3]")
        #expect(metadata["long"] == "[0, 1, 2, 3, 4, 5, 6, 7, … 100 items]")
    }

    @Test func tensorInfoRules() throws {
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(dims: [1, 1, 1, 1, 4])])).contains("5 dimensions"))
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(offset: 8)])).contains("not a multiple of the alignment"))
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(dims: [8])])).contains("runs past the end"))
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(offset: 1 << 40)])).contains("expected 0"))
        let gap = [TensorInfo(name: "a"), TensorInfo(name: "b", offset: 64)]
        #expect(try Self.failure(Self.craft(tensors: gap, dataBytes: 96)).contains("b has data offset 64, expected 32"))
        let overlap = [TensorInfo(name: "a"), TensorInfo(name: "b", offset: 0)]
        #expect(try Self.failure(Self.craft(tensors: overlap, dataBytes: 96)).contains("b has data offset 0, expected 32"))
        let twoTensors = try GGUFReader.read(buffer: ByteBuffer(copying: Self.craft(
            tensors: [TensorInfo(name: "a"), TensorInfo(name: "b", offset: 32)], dataBytes: 48)), source: "")
        #expect(twoTensors.tensors.map(\.storage.byteOffset) == [twoTensors.tensors[0].storage.byteOffset,
                                                                  twoTensors.tensors[0].storage.byteOffset + 32])
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(), TensorInfo()])).contains("appears twice"))
        let longName = String(repeating: "n", count: 64)
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(name: longName)])).contains("limit 63"))
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(type: 99)])).contains("unknown ggml type 99"))
        #expect(try Self.failure(Self.craft(tensors: [TensorInfo(dims: [16], type: 8)])).contains("block size 32"))
        let overflow = TensorInfo(dims: [1 << 40, 1 << 40, 1 << 40])
        #expect(try Self.failure(Self.craft(tensors: [overflow])).contains("overflows"))
    }

    @Test func keysMustBeNonEmptyAndUnique() throws {
        let repeated = Self.craft { out in
            out.appendLE(UInt64(20)); out.append("general.architecture"); out.appendLE(UInt32(8))
            out.appendLE(UInt64(1)); out.append("x")
            return 1
        }
        #expect(try Self.failure(repeated).contains("general.architecture appears twice"))
        let empty = Self.craft { out in
            out.appendLE(UInt64(0)); out.appendLE(UInt32(4)); out.appendLE(UInt32(1))
            return 1
        }
        #expect(try Self.failure(empty).contains("is empty"))
    }

    @Test func alignmentMustBeAPowerOfTwo() throws {
        let bytes = Self.craft { out in
            out.appendLE(UInt64(17)); out.append("general.alignment"); out.appendLE(UInt32(4)); out.appendLE(UInt32(48))
            return 1
        }
        #expect(try Self.failure(bytes).contains("not a power of two"))
    }

    @Test func truncatedHeader() throws {
        let bytes = Self.craft()
        #expect(try Self.failure(Array(bytes[0 ..< 60])).contains("ends inside"))
        #expect(try Self.failure(Array(bytes[0 ..< 40])).contains("claims 1 tensors"))
    }
}
