import Foundation
import ModelFiles
import NNCore
import Testing
@testable import Architectures

/// ONNXWriter's files run: the fixtures with one inline and (gpt2, llama) one external-data initializer edited as
/// scripts/reference/make_onnx_edit_reference.py edits them give onnxruntime's output of the same edit, read back
/// with the new values, and keep external data external.
@Suite struct ONNXWriterTests {
    /// The edits of the reference script: initializer → x2 or +0.5 (both exact in float32).
    static let edits: [String: [(String, String)]] = [
        "cnn_small": [("0.weight", "x2"), ("0.bias", "+0.5")],
        "gpt2": [("m.transformer.h.0.mlp.c_fc.weight", "x2"), ("m.transformer.h.0.ln_1.bias", "+0.5")],
        "llama": [("m.model.embed_tokens.weight", "x2"), ("m.model.layers.0.input_layernorm.weight", "+0.5")],
    ]
    static let positions = [0, 13, 26, 38]

    @Test(arguments: ["cnn_small", "gpt2", "llama"])
    func editedFileGivesOnnxruntimesOutputOfTheSameEdit(name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-write-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let originalPath = Fixtures.path("onnx/\(name).onnx")
        let original = try ONNXReader.read(path: originalPath)
        var replacing: [String: [UInt8]] = [:]
        var expectedValues: [String: [Float]] = [:]
        for (initializer, operation) in Self.edits[name]! {
            let tensor = try #require(original.graph.initializers.first { $0.name == initializer })
            let values = try tensor.record().floatValues(limit: 1 << 20)
            let edited = values.map { operation == "x2" ? $0 * 2 : $0 + 0.5 }
            replacing[initializer] = try ElementEncoder.bytes(of: edited, as: .f32)
            expectedValues[initializer] = edited
        }
        let path = folder + "/\(name).edited.onnx"
        let report = try ONNXWriter.write(original: originalPath, replacing: replacing, to: path, overwrite: false)
        #expect(report.replaced == 2)
        if let keep = ProcessInfo.processInfo.environment["NNVIEW_KEEP_ONNX_EDITS"] {
            // For scripts/reference/make_onnx_edit_reference.py check: onnxruntime and onnx's checker on these files.
            for file in [path, path + ".data"] where FileManager.default.fileExists(atPath: file) {
                let target = keep + "/" + URL(fileURLWithPath: file).lastPathComponent
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: file, toPath: target)
            }
        }
        let externalBefore = original.graph.initializers.filter { $0.externalLocation != nil }.count
        #expect(report.externalTensors == externalBefore)
        #expect(report.dataFile == (externalBefore > 0 ? path + ".data" : nil))

        // Read back: new values where edited, the old ones elsewhere, external data still external (in the new file).
        let written = try ONNXReader.read(path: path)
        #expect(written.graph.nodes.count == original.graph.nodes.count)
        #expect(written.opsetImports == original.opsetImports)
        for (old, new) in zip(original.graph.initializers, written.graph.initializers) {
            #expect(old.name == new.name && old.dims == new.dims && old.dataType == new.dataType)
            #expect(new.externalLocation == (old.externalLocation == nil ? nil : "\(name).edited.onnx.data"))
            guard old.dataType.elementType == .f32 else { continue }
            let values = try new.record().floatValues(limit: 1 << 20)
            #expect(values == (try expectedValues[old.name] ?? old.record().floatValues(limit: 1 << 20)), "\(old.name)")
        }

        // Run: onnxruntime's output of the same edit, which is far from the unedited output.
        let inputs = try ONNXReference.inputs(Fixtures.path("onnx/\(name).input.safetensors"))
        let expect = try #require(try ONNXReference.tensors(Fixtures.path("onnx/edited.expect.safetensors"))["\(name)/output"])
        let output = try #require(try ONNXGraphModule(path: path).run(inputs)["output"]).floatTensor
        let unedited = try #require(try ONNXGraphModule(path: originalPath).run(inputs)["output"]).floatTensor
        try ONNXReference.expectClose(.float(try Self.kept(output)), expect, what: "\(name) edited")
        let change = zip(try Self.kept(unedited).toArray(), expect.floatTensor.toArray()).map { abs($0 - $1) }.max() ?? 0
        #expect(change > 0.01, "the edits change \(name)'s output by \(change) only")
    }

    /// The reference keeps sequence positions `positions` of a [batch, sequence, vocabulary] output.
    static func kept(_ output: Tensor) throws -> Tensor {
        guard output.shape.count == 3 else { return output }
        let (batch, length, width) = (output.shape[0], output.shape[1], output.shape[2])
        let values = output.toArray()
        var rows: [Float] = []
        for b in 0 ..< batch {
            for p in positions { rows += values[(b * length + p) * width ..< (b * length + p + 1) * width] }
        }
        return try Tensor(rows, shape: [batch, positions.count, width])
    }
}
