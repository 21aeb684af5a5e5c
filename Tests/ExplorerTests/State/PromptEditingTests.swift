import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// The explorer's prompts edit like a shell line; the prefilled save path is replaced in one keystroke
/// (issue 15 §4).
@Suite struct PromptEditingTests {
    @Test func aValueIsEditedInTheMiddle() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:12 Left text:3 Enter")
        #expect(try tensorDetail(state).cursorValue == 132)
        try press(state, "e text:7.5 C-u text:-2 Enter")
        #expect(try tensorDetail(state).cursorValue == -2)
        try press(state, "e text:1e3 C-a Delete Enter")
        #expect(state.status.isError, "e3 is not a number: \(state.status.text)")
    }

    @Test func thePrefilledSavePathIsReplacedByTyping() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = try openBuiltin()
        try press(state, "W")
        guard case .prompt(_, let prefilled) = state.mode else {
            Issue.record("W did not open a prompt")
            return
        }
        #expect(prefilled == "tied.edited.safetensors")
        try press(state, "text:\(folder)/x.npz")
        #expect(state.mode == .prompt(label: "save as (.safetensors/.npz/.npy; typing replaces, ← → edit): ",
                                      text: folder + "/x.npz"))
        try press(state, "Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(FileManager.default.fileExists(atPath: folder + "/x.npz"))
        // The next W offers the file just written, and End then typing edits it instead of replacing it.
        try press(state, "W End Backspace Backspace Backspace text:npy")
        #expect(state.mode == .prompt(label: "save as (.safetensors/.npz/.npy; typing replaces, ← → edit): ",
                                      text: folder + "/x.npy"))
        try press(state, "Escape")
    }

    @Test func searchTextIsEditedToo() throws {
        let state = try openBuiltin()
        try press(state, "/ text:6.bxas Left Left Backspace text:i")
        #expect(state.mode == .search(text: "6.bias"))
        try press(state, "Enter")
        #expect(state.tree.row(at: state.tree.cursor).path == "6.bias")
    }
}
