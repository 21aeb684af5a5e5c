import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// `w` on a GGUF model writes a GGUF file: metadata as read, every tensor in its own ggml type, edited quantized
/// tensors as their re-quantized blocks (issue 15 §1, §5).
@Suite struct GGUFSavingTests {
    /// Opens tiny.gguf, sets an element of ffn_up (Q4_K) in its third super-block to 0.5 and one of ffn_down
    /// (Q6_K) in its first to -20, and saves to `path`; returns the state and the flat indices edited.
    static func editAndSave(to path: String) throws -> (ExplorerState, [String: Int]) {
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("tiny.gguf")),
                                      options: ExplorerOptions(savePath: path))
        var edited: [String: Int] = [:]
        for (name, keys, typed) in [("blk.0.ffn_up.weight", "Tab j l l l", "0.5"), ("blk.0.ffn_down.weight", "Tab l l", "-20")] {
            #expect(state.select(path: name))
            try press(state, keys)
            let index = try #require(try tensorDetail(state).cursorIndex)
            edited[name] = index[0] * 512 + index[1]
            try press(state, "e text:\(typed) Enter Tab")
            #expect(!state.status.isError, "\(state.status.text)")
        }
        try press(state, "w")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.contains("saved 7 tensors to \(path)"), "\(state.status.text)")
        return (state, edited)
    }

    static func shown(_ state: ExplorerState, _ name: String) throws -> [Float] {
        let entry = try #require(state.entries.first { $0.names.contains(name) })
        return try entry.tensor?.toArray() ?? #require(entry.record).floatValues(limit: 1 << 20)
    }

    @Test func anEditedGGUFIsSavedWithItsTypesMetadataAndUntouchedBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/tiny.edited.gguf"
        let (state, edited) = try Self.editAndSave(to: path)
        if let keep = ProcessInfo.processInfo.environment["NNVIEW_WRITE_GGUF_FIXTURE"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: path, toPath: keep)  // scripts/reference/gguf_written_file.py
        }
        let source = try fixturePath("tiny.gguf")
        let original = try GGUFReader.read(buffer: ByteBuffer.map(path: source), source: source)
        let saved = try GGUFReader.read(buffer: ByteBuffer.map(path: path), source: path)
        #expect(saved.metadata.map(\.key) == original.metadata.map(\.key))
        #expect(saved.metadata.map(\.value) == original.metadata.map(\.value))
        #expect(saved.tensors.map(\.name) == original.tensors.map(\.name))
        #expect(saved.tensors.map(\.type) == original.tensors.map(\.type))
        #expect(saved.tensors.map(\.shape) == original.tensors.map(\.shape))
        for (written, read) in zip(saved.tensors, original.tensors) {
            let writtenBytes = [UInt8](written.storage.bytes), readBytes = [UInt8](read.storage.bytes)
            // What nnview shows is what the file now holds, for every tensor.
            #expect(try written.floatValues(limit: 1 << 20) == Self.shown(state, read.name), "\(read.name)")
            guard case .ggml(let id) = read.type, read.name.hasPrefix("blk.0.ffn_") else {
                #expect(writtenBytes == readBytes, "\(read.name) is byte-identical")
                continue
            }
            // Only the one edited super-block differs.
            let blockBytes = GGMLTypeLayout.of(id)!.blockBytes
            let changed = (0 ..< readBytes.count / blockBytes).filter {
                writtenBytes[$0 * blockBytes ..< ($0 + 1) * blockBytes] != readBytes[$0 * blockBytes ..< ($0 + 1) * blockBytes]
            }
            let index = try #require(edited[read.name])
            #expect(changed == [index / 256], "\(read.name): blocks \(changed) changed, edited element \(index)")
            let before = try read.floatValues(limit: 1 << 20)[index], after = try written.floatValues(limit: 1 << 20)[index]
            #expect(before != after, "\(read.name)[\(index)] changed: \(before) → \(after)")
        }
        #expect(edited["blk.0.ffn_up.weight"].map { $0 / 256 } == 2 && edited["blk.0.ffn_down.weight"].map { $0 / 256 } == 0)
        // Saving again after an undo writes the file's own blocks back: the original bytes.
        try press(state, "u u W text:\(folder)/undone.gguf Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/undone.gguf")) == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func gguFPyReadsTheWrittenFileAsNnviewShowsIt() throws {
        // tiny.edited.gguf is what this edit saved when the fixture was made; gguf-py's dequantization of it is
        // tiny.edited.expect.safetensors (scripts/reference/gguf_written_file.py).
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/tiny.edited.gguf"
        let (state, _) = try Self.editAndSave(to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: try fixturePath("tiny.edited.gguf"))),
                "the save is deterministic and matches the fixture gguf-py read")
        let expected = try ModelFileReader.open(path: try fixturePath("tiny.edited.expect.safetensors"))
        #expect(expected.tensors.count == 7)
        for reference in expected.tensors {
            #expect(try reference.floatValues(limit: 1 << 20) == Self.shown(state, reference.name), "\(reference.name)")
        }
    }

    @Test func theDefaultSavePathOfAGGUFModelIsAGGUFFile() throws {
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("tiny.gguf")))
        #expect(state.defaultSavePath().hasSuffix("/tiny.edited.gguf"), "\(state.defaultSavePath())")
    }

    @Test func aGGUFCannotBeWrittenFromAnotherFormat() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = try ExplorerState(model: try ModelLoader.load(try fixturePath("dtypes.safetensors")))
        try press(state, "W text:\(folder)/out.gguf Enter")
        #expect(state.status.isError)
        #expect(state.status.text.contains("written from a GGUF model"), "\(state.status.text)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.gguf"))
    }
}
