import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Crafted ONNX files, one per rule of the reader: lengths checked before use, sizes before allocating, external
/// data kept inside the model's folder and its file, sub-graph nesting bounded; and the wire format's variants
/// (packed and unpacked repeated fields, unknown fields) accepted.
@Suite struct ONNXHostileTests {
    typealias P = ProtobufBuilder

    /// Writes `bytes` as model.onnx in a fresh folder (with `extra` files beside it) and opens it.
    func open(_ bytes: [UInt8], extra: [String: [UInt8]] = [:]) throws -> TensorArchive {
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, content) in extra { try Data(content).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        let path = folder + "/model.onnx"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try ModelFileReader.open(path: path)
    }

    /// The message of the error opening `bytes` throws (fails the test if it opens).
    func failure(_ bytes: [UInt8], extra: [String: [UInt8]] = [:]) -> String {
        do {
            _ = try open(bytes, extra: extra)
            Issue.record("opened a file that should be refused")
            return ""
        } catch let error as ModelFileError {
            #expect(error.file.hasSuffix("model.onnx"), "names the file: \(error)")
            return error.message
        } catch {
            Issue.record("not a ModelFileError: \(error)")
            return ""
        }
    }

    func model(_ tensors: [ProtobufBuilder]) -> [UInt8] { P.model(P.graph(initializers: tensors)) }

    @Test func rawDataOfTheWrongSizeIsRefused() {
        var tensor = P.tensor("w", dims: [1000, 1000])
        tensor.bytes(9, [UInt8](repeating: 0, count: 8))
        #expect(failure(model([tensor])) == "tensor \"w\": FLOAT dims [1000, 1000] need 4000000 bytes but raw_data holds 8")
    }

    @Test func negativeAndOverflowingDimsAreRefused() {
        #expect(failure(model([P.tensor("w", dims: [-5])])).contains("negative dimension -5"))
        #expect(failure(model([P.tensor("w", dims: [1 << 40, 1 << 40])])).contains("more elements than memory can address"))
        #expect(failure(model([P.tensor("w", dims: [Int](repeating: 1, count: 65))])).contains("more than 64 dimensions"))
    }

    @Test func typedFieldsMustHoldExactlyTheShapesValues() {
        var tensor = P.tensor("w", dims: [10])
        for value in [1, 2, 3] as [Float] { tensor.fixed32(4, value.bitPattern) }
        #expect(failure(model([tensor])) == "tensor \"w\": dims [10] need 10 values but float_data holds 3")
        #expect(failure(model([P.tensor("w", dims: [2])])).contains("has no data"))
    }

    @Test func unpackedAndPackedRepeatedFieldsBothRead() throws {
        // float_data one element per field (unpacked), dims packed.
        var tensor = P()
        tensor.packed(1, [2, 2])
        tensor.int(2, 1)
        tensor.string(8, "w")
        for value in [1, -2, 3.5, 0] as [Float] { tensor.fixed32(4, value.bitPattern) }
        // int64_data packed with a negative value (a 10-byte varint).
        var ints = P()
        ints.packed(1, [3])
        ints.int(2, 7)
        ints.string(8, "i")
        ints.packed(7, [-1, 0, 1 << 40])
        let archive = try open(model([tensor, ints]))
        #expect(try archive.tensor(named: "w")?.floatValues(limit: 4) == [1, -2, 3.5, 0])
        #expect(try archive.tensor(named: "i")?.floatValues(limit: 3) == [-1, 0, Float(1 << 40)])
    }

    @Test func unknownFieldsAreSkipped() throws {
        var tensor = P.tensor("w", dims: [1])
        tensor.fixed32(4, Float(7).bitPattern)
        tensor.int(99, 5)
        tensor.string(100, "ignored")
        var graph = P.graph(initializers: [tensor])
        graph.fixed32(77, 0)
        let archive = try open(P.model(graph))
        #expect(try archive.tensor(named: "w")?.floatValues(limit: 1) == [7])
    }

    @Test func externalDataMustStayInsideTheModelsFolderAndFile() throws {
        func external(_ entries: [(String, String)], dims: [Int] = [2]) -> [UInt8] {
            model([P.externalTensor("w", dims: dims, entries: entries)])
        }
        let data: [String: [UInt8]] = ["w.bin": [UInt8](repeating: 0, count: 8)]
        #expect(failure(external([("location", "../w.bin")]), extra: data).contains("leaves the model's folder"))
        #expect(failure(external([("location", "/etc/passwd")]), extra: data).contains("leaves the model's folder"))
        #expect(failure(external([("location", "missing.bin")]), extra: data).contains("cannot be opened"))
        #expect(failure(external([("location", "w.bin"), ("offset", "9")]), extra: data)
            .contains("offset 9 is past the end of w.bin (8 bytes)"))
        #expect(failure(external([("location", "w.bin"), ("offset", "4"), ("length", "8")]), extra: data)
            .contains("runs past the end of w.bin"))
        #expect(failure(external([("location", "w.bin"), ("length", "4")]), extra: data).contains("has length 4"))
        #expect(failure(external([("location", "w.bin"), ("offset", "-1")]), extra: data).contains("not a byte count"))
        #expect(failure(external([("offset", "0")]), extra: data).contains("without a location"))
        // Without an explicit length the data runs to the end of the file.
        let archive = try open(external([("location", "w.bin")]), extra: data)
        #expect(try archive.tensor(named: "w")?.floatValues(limit: 2) == [0, 0])
    }

    @Test func externalDataThroughASymbolicLinkOutOfTheFolderIsRefused() throws {
        let outside = try Fixtures.write([UInt8](repeating: 0, count: 8), name: "secret.bin")
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/w.bin", withDestinationPath: outside)
        let path = folder + "/model.onnx"
        try Data(model([P.externalTensor("w", dims: [2], entries: [("location", "w.bin")])])).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelFileError("tensor \"w\": external data file w.bin resolves outside the model's folder", file: path)) {
            try ModelFileReader.open(path: path)
        }
    }

    @Test func externalDataNeedsAFolder() throws {
        let bytes = model([P.externalTensor("w", dims: [2], entries: [("location", "w.bin")])])
        #expect(throws: ModelFileError.self) {
            try ONNXReader.read(buffer: ByteBuffer(copying: bytes), source: "memory.onnx", externalDataFolder: nil)
        }
    }

    /// An If node whose then_branch holds an If node … `depth` graphs deep.
    func nestedIfs(_ depth: Int) -> [UInt8] {
        var inner = P.graph()
        for _ in 0 ..< depth {
            var attribute = P()
            attribute.string(1, "then_branch")
            attribute.message(6, inner)
            attribute.int(20, 5)
            var node = P()
            node.string(1, "c")
            node.string(2, "out")
            node.string(4, "If")
            node.message(5, attribute)
            inner = P.graph(nodes: [node])
        }
        return P.model(inner)
    }

    @Test func subGraphNestingIsBounded() throws {
        #expect(try open(nestedIfs(ONNXLimits.maxGraphDepth)).onnx?.graph.nodes.count == 1)
        #expect(failure(nestedIfs(ONNXLimits.maxGraphDepth + 1)).contains("nest more than 16 levels"))
        #expect(failure(nestedIfs(2000)).contains("nest more than 16 levels"))
    }

    @Test func wireFormatErrorsNameWhatWasBeingRead() {
        var huge = P()
        huge.int(1, 8)
        huge.key(7, 2)
        huge.varint(1 << 60)
        #expect(failure(huge.bytes).contains("claims 1152921504606846976 bytes"))
        var long = P()
        long.int(1, 8)
        long.key(5, 0)
        long.bytes += [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(failure(long.bytes).contains("longer than 64 bits"))
        var group = P()
        group.int(1, 8)
        group.string(2, "p")
        group.key(9, 3)
        #expect(failure(group.bytes).contains("wire type 3"))
        var wrongWire = P()
        wrongWire.int(1, 8)
        wrongWire.string(2, "p")
        wrongWire.int(7, 3)
        #expect(failure(wrongWire.bytes).contains("graph has protobuf wire type 0"))
        var noGraph = P()
        noGraph.int(1, 8)
        noGraph.string(2, "pytorch")
        #expect(failure(noGraph.bytes) == "the ONNX model has no graph")
    }

    @Test func duplicateInitializersAreRefused() {
        var first = P.tensor("w", dims: [1])
        first.fixed32(4, 0)
        #expect(failure(model([first, first])) == "initializer \"w\" appears twice")
    }

    @Test func everyPrefixOfARealExportFailsCleanlyOrReads() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/cnn_small.onnx"))))
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            let prefix = Array(bytes[..<cut])
            do {
                _ = try ONNXReader.read(buffer: ByteBuffer(copying: prefix), source: "cut.onnx", externalDataFolder: nil)
            } catch let error as ModelFileError {
                #expect(error.file == "cut.onnx")
            }
        }
    }

    @Test func sniffingTellsONNXFromOtherFormats() throws {
        for name in ONNXFixtureTests.fixtures {
            let buffer = try ByteBuffer.map(path: Fixtures.path("onnx/\(name).onnx"))
            #expect(try ModelFileReader.sniff(buffer) == .onnx, "\(name)")
        }
        let safetensors = try ByteBuffer.map(path: Fixtures.path("safetensors/seed_tied.safetensors"))
        #expect(try ModelFileReader.sniff(safetensors) == .safetensors)
        #expect(!ONNXReader.looksLikeONNX(ByteBuffer(copying: [0x08, 0x08, 0x29, 0x00]).bytes))
    }
}
