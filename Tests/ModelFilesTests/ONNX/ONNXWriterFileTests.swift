import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

/// ONNXWriter at the byte level: an unchanged model is the same bytes, replaced tensors read back with their new
/// values (typed fields become raw_data), external data moves into one new file beside the new model with ties
/// kept, and bad replacements or files fail with one line before anything is written.
@Suite struct ONNXWriterFileTests {
    @Test(arguments: ["cnn_small", "bert_mlm"])
    func withoutEditsAModelWithoutExternalDataIsTheSameBytes(_ name: String) throws {
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = Fixtures.path("onnx/\(name).onnx")
        let report = try ONNXWriter.write(original: original, replacing: [:], to: folder + "/copy.onnx")
        #expect(report.replaced == 0 && report.dataFile == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/copy.onnx")) == Data(contentsOf: URL(fileURLWithPath: original)))
        #expect(!FileManager.default.fileExists(atPath: folder + "/copy.onnx.data"))
    }

    @Test func gpt2WithoutEditsKeepsTorchsExternalLayoutAndBytes() throws {
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = Fixtures.path("onnx/gpt2.onnx")
        let report = try ONNXWriter.write(original: original, replacing: [:], to: folder + "/gpt2.onnx")
        // Same name, so the same location and (torch's back-to-back layout) the same offsets: the same two files.
        #expect(report.dataFile == folder + "/gpt2.onnx.data")
        #expect(report.externalTensors == 12)
        for file in ["gpt2.onnx", "gpt2.onnx.data"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
                == Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/" + file))), "\(file)")
        }
    }

    @Test func replacedTensorsOfEveryKindReadBackAndTiesSurvive() throws {
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let originalPath = Fixtures.path("onnx/dtypes.onnx")
        let original = try ONNXReader.read(path: originalPath)
        func values(_ model: ONNXModel, _ name: String) throws -> [Float] {
            try #require(model.graph.initializers.first { $0.name == name }).record().floatValues(limit: 100)
        }
        let half: [Float] = [1, -2, 0.5, 3, 0, -0.25]
        let replacing: [String: [UInt8]] = [
            "typed.float16": try ElementEncoder.bytes(of: half, as: .f16),
            "raw.int64": (0 ..< 6).flatMap { withUnsafeBytes(of: Int64(-$0).littleEndian, Array.init) },
            "external.a": try ElementEncoder.bytes(of: (0 ..< 8).map(Float.init), as: .f32),
        ]
        let path = folder + "/edited.onnx"
        let report = try ONNXWriter.write(original: originalPath, replacing: replacing, to: path)
        #expect(report.replaced == 3 && report.externalTensors == 3)
        let written = try ONNXReader.read(path: path)
        #expect(try values(written, "typed.float16") == half)
        #expect(try values(written, "raw.int64") == [0, -1, -2, -3, -4, -5])
        #expect(try values(written, "external.a") == (0 ..< 8).map(Float.init))
        // external.b shared external.a's bytes; it keeps the old ones, external.c its own.
        #expect(try values(written, "external.b") == values(original, "external.b"))
        #expect(try values(written, "external.c") == values(original, "external.c"))
        for tensor in written.graph.initializers where !replacing.keys.contains(tensor.name) {
            let old = try #require(original.graph.initializers.first { $0.name == tensor.name })
            #expect(tensor.dataType == old.dataType && tensor.dims == old.dims, "\(tensor.name)")
            guard let storage = tensor.storage, let oldStorage = old.storage else {
                #expect(tensor.storage == nil && old.storage == nil, "\(tensor.name)")
                continue
            }
            #expect(Array(storage.bytes) == Array(oldStorage.bytes), "\(tensor.name)")
        }
        #expect(written.graph.initializers.compactMap(\.externalLocation) == Array(repeating: "edited.onnx.data", count: 3))
        #expect(written.graph.nodes.map(\.opType) == original.graph.nodes.map(\.opType))
        #expect(written.metadata.map(\.key) == original.metadata.map(\.key))

        // Unedited, the two tied tensors still name the same bytes of the new file, so they stay one tensor.
        let untouched = folder + "/untouched.onnx"
        try ONNXWriter.write(original: originalPath, replacing: [:], to: untouched)
        let copy = try ONNXReader.read(path: untouched)
        let keys = copy.graph.initializers.filter { $0.name.hasPrefix("external.") }.map { $0.storage!.key }
        #expect(keys[0] == keys[1] && keys[1] != keys[2])
        #expect(try Data(contentsOf: URL(fileURLWithPath: untouched + ".data")).count == 44)
    }

    @Test func badReplacementsAndBadFilesFailWithOneLineAndWriteNothing() throws {
        let folder = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = Fixtures.path("onnx/dtypes.onnx")
        let target = folder + "/out.onnx"
        let cases: [([String: [UInt8]], String)] = [
            (["nope": []], "no initializer \"nope\" in the main graph"),
            (["raw.float": [0, 0, 0]], "needs 24 bytes, the replacement has 3"),
            (["text": [0]], "type STRING, which nnview does not write"),
        ]
        for (replacing, message) in cases {
            do {
                try ONNXWriter.write(original: original, replacing: replacing, to: target)
                Issue.record("\(replacing.keys) was accepted")
            } catch let error as ModelFileError {
                #expect(error.description.contains(message), "\(error)")
                #expect(!error.description.contains("\n"))
            }
            #expect(!FileManager.default.fileExists(atPath: target))
            #expect(!FileManager.default.fileExists(atPath: target + ".data"))
        }
        // A truncated model is refused as on opening it.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/cnn_small.onnx"))))
        let broken = try Fixtures.write(Array(bytes.prefix(bytes.count / 2)), name: "broken.onnx")
        defer { try? FileManager.default.removeItem(atPath: ONNXReader.folder(of: broken)) }
        #expect(throws: ModelFileError.self) { try ONNXWriter.write(original: broken, replacing: [:], to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
        // Not overwriting an existing file when asked not to.
        try ONNXWriter.write(original: original, replacing: [:], to: target)
        #expect(throws: ModelFileError.self) { try ONNXWriter.write(original: original, replacing: [:], to: target, overwrite: false) }
    }
}
