import Foundation
import Testing
import NNCore
import ModelFiles
@testable import Explorer

@Suite struct SavingTests {
    @Test func saveWritesTheEditAndReopensWithIt() throws {
        let folder = try temporaryFolder()
        let path = folder + "/tied.edited.safetensors"
        let state = try openBuiltin(options: ExplorerOptions(savePath: path))
        #expect(state.select(path: "4.weight"))
        try press(state, "Tab j j l l l e text:7.25 Enter w")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.contains(path))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!state.header.hasUnsavedEdits)
        #expect(treeRow(state, "4.weight")?.isEdited == false)

        let reopened = try ModelLoader.load("tied", weights: path)
        let spec = try #require(reopened.spec)
        #expect(try spec.model.module(at: "2")!.parameter("weight").element(at: [2, 3]) == 7.25)
        #expect(try spec.model.module(at: "4")!.parameter("weight").element(at: [2, 3]) == 7.25)
        // Tied names are stored once, with the other name as an alias.
        let archive = try ModelFileReader.open(path: path)
        #expect(archive.metadataValue("4.weight") == "2.weight")
        // The undo history survives a save.
        try press(state, "u")
        #expect(state.header.hasUnsavedEdits)
    }

    @Test func overwritingAsksFirst() throws {
        let folder = try temporaryFolder()
        let path = folder + "/out.safetensors"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        let state = try openBuiltin(options: ExplorerOptions(savePath: path))
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:1 Enter w")
        guard case .confirm(let question) = state.mode else {
            Issue.record("expected a question, got \(state.mode)")
            return
        }
        #expect(question.contains(path))
        try press(state, "n")
        #expect(state.mode == .normal)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        #expect(state.header.hasUnsavedEdits)
        try press(state, "w y")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(try ModelFileReader.open(path: path).tensor(named: "0.bias") != nil)
        #expect(!state.header.hasUnsavedEdits)
    }

    @Test func aFailedSaveKeepsEditsAndHistory() throws {
        let folder = try temporaryFolder()
        let blocker = folder + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let state = try openBuiltin(options: ExplorerOptions(savePath: blocker + "/out.safetensors"))
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:2 Enter w")
        #expect(state.status.isError)
        #expect(state.status.text.contains("save failed"))
        #expect(state.header.hasUnsavedEdits)
        #expect(state.undoLabels.count == 1)
        #expect(try tensorDetail(state).cursorValue == 2)
    }

    @Test func quittingWithUnsavedEditsAsksFirst() throws {
        let state = try openBuiltin()
        #expect(try press(state, "q") == [.quit])
        #expect(state.wantsQuit)

        let edited = try openBuiltin()
        #expect(edited.select(path: "0.bias"))
        try press(edited, "Tab e text:2 Enter")
        let reactions = try press(edited, "q")
        #expect(!reactions[0].contains(.quit))
        #expect(!edited.wantsQuit)
        guard case .confirm = edited.mode else {
            Issue.record("expected a question, got \(edited.mode)")
            return
        }
        try press(edited, "n")
        #expect(!edited.wantsQuit)
        let last = try press(edited, "q y")
        #expect(last[1].contains(.quit))
        #expect(edited.wantsQuit)
    }

    @Test func defaultSavePathSitsNextToTheSource() throws {
        #expect(try openBuiltin().defaultSavePath() == "tied.edited.safetensors")
        let browse = try ExplorerState(model: try ModelLoader.load(try fixturePath("seed_tied.safetensors")))
        #expect(browse.defaultSavePath().hasSuffix("/Fixtures/seed_tied.edited.safetensors"))
    }
}
