import Testing
@testable import TerminalUI

/// Prompts edit like a shell line (issue 15 §4).
@Suite struct LineEditorTests {
    func edited(_ start: String, selected: Bool = false, _ keys: String) throws -> LineEditor {
        var editor = LineEditor(start, selected: selected)
        for event in try KeySpec.parse(keys) { editor.apply(event) }
        return editor
    }

    @Test func movingInsertingAndDeleting() throws {
        #expect(try edited("abc", "Left Left text:X").string == "aXbc")
        #expect(try edited("abc", "Home text:> End text:<").string == ">abc<")
        #expect(try edited("abc", "C-a Delete C-e Backspace").string == "b")
        #expect(try edited("abc", "Left Left Left Left Backspace Right Right Right Right Delete").string == "abc")
        let editor = try edited("abc", "Left")
        #expect(editor.cursor == 2)
    }

    @Test func ctrlUClearsAndCtrlWDeletesAWord() throws {
        #expect(try edited("some text", "C-u").string == "")
        #expect(try edited("normal(0, 0.02)", "C-w").string == "normal(0, ")
        #expect(try edited("~/models/out.safetensors", "C-w").string == "~/models/")
        #expect(try edited("~/models/", "C-w").string == "~/models")
        #expect(try edited("a b  ", "C-w").string == "a ")
    }

    @Test func aPrefilledTextIsReplacedByTheFirstCharacter() throws {
        #expect(try edited("tied.edited.safetensors", selected: true, "text:x.npz").string == "x.npz")
        #expect(try edited("tied.edited.safetensors", selected: true, "Backspace").string == "")
        // Moving first keeps it, to edit it instead.
        #expect(try edited("tied.safetensors", selected: true, "Left text:2").string == "tied.safetensor2s")
        #expect(try edited("out", selected: true, "End text:2").string == "out2")
    }

    @Test func otherKeysAreNotEdits() {
        var editor = LineEditor("x", selected: true)
        #expect(!editor.apply(.enter) && !editor.apply(.escape) && !editor.apply(.tab))
        #expect(editor.isSelected && editor.string == "x")
    }
}
