import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// `w`/`W` on an ONNX model write an ONNX file: the same graph, the edited initializers with their new values,
/// external data in a new data file beside it (issue 16 §3).
@Suite struct ONNXSavingTests {
    static let inline = "m.transformer.h.0.ln_1.bias"
    static let external = "m.transformer.h.0.mlp.c_fc.weight"

    @Test func editedInlineAndExternalInitializersAreSavedIntoAValidONNXFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try fixturePath("onnx/gpt2.onnx")
        let path = folder + "/gpt2.edited.onnx"
        let state = try ExplorerState(model: try ModelLoader.load(source), options: ExplorerOptions(savePath: path))
        var edited: [String: Int] = [:]
        for (name, keys, typed) in [(Self.inline, "Tab l l", "0.5"), (Self.external, "Tab j l", "-3")] {
            #expect(state.select(path: name), "\(name)")
            try press(state, keys)
            let index = try #require(try tensorDetail(state).cursorIndex)
            edited[name] = index.count == 1 ? index[0] : index[0] * 128 + index[1]
            try press(state, "e text:\(typed) Enter Tab")
            #expect(!state.status.isError, "\(state.status.text)")
        }
        try press(state, "w")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.contains("to \(path)"), "\(state.status.text)")
        #expect(FileManager.default.fileExists(atPath: path + ".data"))

        let original = try ONNXReader.read(path: source)
        let saved = try ONNXReader.read(path: path)
        #expect(saved.graph.nodes.count == original.graph.nodes.count)
        #expect(saved.graph.initializers.map(\.name) == original.graph.initializers.map(\.name))
        for (old, new) in zip(original.graph.initializers, saved.graph.initializers) {
            #expect(new.externalLocation == old.externalLocation.map { _ in "gpt2.edited.onnx.data" }, "\(old.name)")
            var expected = try old.record().floatValues(limit: 1 << 20)
            if let index = edited[old.name] { expected[index] = old.name == Self.inline ? 0.5 : -3 }
            #expect(try new.record().floatValues(limit: 1 << 20) == expected, "\(old.name)")
        }
        #expect(edited.count == 2)

        // Undone and saved under another name: the original values again.
        try press(state, "u u W text:\(folder)/undone.onnx Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        let undone = try ONNXReader.read(path: folder + "/undone.onnx")
        for (old, new) in zip(original.graph.initializers, undone.graph.initializers) {
            #expect(try new.record().floatValues(limit: 1 << 20) == old.record().floatValues(limit: 1 << 20), "\(old.name)")
        }
    }

    @Test func theDefaultSavePathOfAnONNXModelIsAnONNXFile() throws {
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("onnx/gpt2.onnx")))
        #expect(state.defaultSavePath().hasSuffix("/gpt2.edited.onnx"), "\(state.defaultSavePath())")
    }

    @Test func anONNXFileCannotBeWrittenFromAnotherFormat() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("dtypes.safetensors")))
        try press(state, "W text:\(folder)/out.onnx Enter")
        #expect(state.status.isError)
        #expect(state.status.text.contains("written from an ONNX model"), "\(state.status.text)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.onnx"))
    }
}
