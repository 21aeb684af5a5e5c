import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// Saving writes every tensor in its own dtype, in the format the extension names, and says what it wrote
/// (issue 15 §1 and §5).
@Suite struct SavingFormatsTests {
    @Test func editedTensorsAreWrittenInTheirOwnDtype() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try fixturePath("dtypes.safetensors")
        let path = folder + "/out.safetensors"
        let state = try ExplorerState(model: try ModelLoader.load(source), options: ExplorerOptions(savePath: path))
        for (name, typed) in [("i8", "-7"), ("u8", "3"), ("f16", "0.1"), ("bf16", "0.1"), ("bool", "false"),
                              ("i32", "-9"), ("i64", "123456789"), ("f64", "0.1"), ("f32", "2.5")] {
            #expect(state.select(path: name))
            try press(state, "Tab e text:\(typed) Enter Tab")
            #expect(!state.status.isError, "\(name): \(state.status.text)")
        }
        try press(state, "w")
        #expect(!state.status.isError, "\(state.status.text)")
        let original = try ModelFileReader.open(path: source)
        let saved = try ModelFileReader.open(path: path)
        for record in original.tensors {
            let written = try #require(saved.tensor(named: record.name))
            #expect(written.type == record.type, "\(record.name): \(written.type) instead of \(record.type)")
            #expect(written.shape == record.shape)
        }
        #expect(try saved.tensor(named: "i8")!.floatValues(limit: 10) == [-7, 0, 127])
        #expect(try saved.tensor(named: "f16")!.floatValues(limit: 20)[0] == 0.0999755859375)
        #expect(try saved.tensor(named: "bool")!.floatValues(limit: 10) == [0, 0, 1])
        #expect(try saved.tensor(named: "i64")!.floatValues(limit: 10)[0] == 123456789)
    }

    @Test func theExtensionChoosesTheFormatAndUnknownOnesAreRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = try openBuiltin()
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:1 Enter")
        _ = state.handle(.saveAs(folder + "/out.npz"))
        #expect(!state.status.isError, "\(state.status.text)")
        let npz = try ModelFileReader.open(path: folder + "/out.npz")
        #expect(npz.format.lowercased().contains("npz") || npz.format.lowercased().contains("numpy"), "\(npz.format)")
        #expect(npz.tensor(named: "0.bias") != nil)
        _ = state.handle(.saveAs(folder + "/out.txt"))
        #expect(state.status.isError)
        #expect(state.status.text.contains("cannot write 'out.txt'"), "\(state.status.text)")
        #expect(state.mode == .normal)
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.txt"))
        _ = state.handle(.saveAs(folder + "/out.npy"))
        #expect(state.status.isError, "a .npy holds one array: \(state.status.text)")
    }

    @Test func aFolderIsRefusedBeforeAsking() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = try openBuiltin()
        _ = state.handle(.saveAs(folder))
        #expect(state.mode == .normal, "no overwrite question for a folder")
        #expect(state.status.isError)
        #expect(state.status.text.contains("is a folder"), "\(state.status.text)")
    }

    @Test func savingAgainToTheFileJustWrittenIsSilentAndTheStatusCountsAliases() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/tied.safetensors"
        let state = try openBuiltin(options: ExplorerOptions(savePath: path))
        try press(state, "f w")
        #expect(state.status.text == "saved 6 tensors and 2 aliases to \(path)", "\(state.status.text)")
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:1 Enter w")
        #expect(state.mode == .normal, "the file this session wrote is overwritten without asking")
        #expect(state.status.text.hasPrefix("saved 6 tensors and 2 aliases"), "\(state.status.text)")
        #expect(!state.header.hasUnsavedEdits)
    }

    @Test func aTildeMeansHome() {
        let home = NSString(string: "~").expandingTildeInPath
        #expect(SavePath.expandingTilde("~/models/x.npz") == home + "/models/x.npz")
        #expect(SavePath.expandingTilde("a/~b") == "a/~b")
    }
}
