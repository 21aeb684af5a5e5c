import Foundation
import Testing

/// The real `nnview` binary in a real terminal (tmux): keys in, screen out, and the terminal settings afterwards.
/// Skipped only when tmux is not installed.
@Suite(.serialized, .enabled(if: TmuxHarness.isAvailable, "tmux is not installed"), .timeLimit(.minutes(2)))
struct TmuxEndToEndTests {
    /// A script that records the terminal settings, runs nnview with `arguments`, then records its exit status and
    /// the settings again, and keeps the pane open so the files can be read.
    static func script(_ binary: String, _ arguments: String, tag: String = "") -> String {
        """
        stty -a > stty-before\(tag).txt
        '\(binary)' \(arguments)
        echo "exit=$?" > exit\(tag).txt
        stty -a > stty-after\(tag).txt
        exec sleep 600
        """
    }

    @Test func findBackwardTwiceEditUndoSaveReopenAndQuit() throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied"))
        try tmux.waitFor(text: "Model")

        // Find 2.weight by name.
        try tmux.send("/")
        try tmux.waitFor(text: "search:")
        try tmux.send("2.weight", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "2.weight = 4.weight")

        // Backward twice: both uses and their accumulated sum.
        try tmux.send("b")
        try tmux.waitFor(text: "1 backward pass accumulated since last zero")
        try tmux.send("b")
        let tied = try tmux.waitFor(text: "2 backward passes accumulated since last zero")
        #expect(tied.contains("via module 2"))
        #expect(tied.contains("via module 4"))
        #expect(tied.contains("sum"))
        #expect(tied.contains("at cursor:"))

        // Edit the element at the cursor of 2.weight (values view, detail pane focused).
        try tmux.send("g")
        try tmux.waitFor(text: "· values ·")
        try tmux.send("Tab")
        try tmux.send("e")
        try tmux.waitFor("the edit prompt") { $0.split(separator: "\n").last?.contains("[0, 0]") == true }
        try tmux.send("7.5", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "value = 7.5")

        // The same parameter at 4.weight shows it too, and both rows are marked edited.
        try tmux.send("Tab")
        try tmux.send("/")
        try tmux.waitFor(text: "search:")
        try tmux.send("4.weight", literal: true)
        try tmux.send("Enter")
        let atFour = try tmux.waitFor(text: "4.weight (match")
        #expect(atFour.contains("value = 7.5"))
        #expect(atFour.components(separatedBy: "F32 ✎").count - 1 == 2)
        #expect(atFour.contains("unsaved"))

        // Undo takes it away everywhere; redo brings it back.
        try tmux.send("u")
        try tmux.waitFor("the undo") { !$0.contains("value = 7.5") }
        try tmux.send("C-r")
        try tmux.waitFor(text: "value = 7.5")

        // Save, then quit without being asked.
        try tmux.send("w")
        let saved = try tmux.waitFor(text: "saved 6 tensors and 2 aliases to ")
        #expect(saved.contains("tied.edited.safetensors"))
        try tmux.send("q")
        let exit = try tmux.waitForFile("exit.txt")
        #expect(exit.trimmingCharacters(in: .whitespacesAndNewlines) == "exit=0")
        #expect(try tmux.waitForFile("stty-after.txt") == tmux.waitForFile("stty-before.txt"))

        // Reopen the saved file: the edit is there, under both names.
        #expect(FileManager.default.fileExists(atPath: tmux.directory.appendingPathComponent("tied.edited.safetensors").path))
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied.edited.safetensors", tag: "2"),
                       name: "reopened")
        try tmux.waitFor(text: "browse")
        try tmux.send("/")
        try tmux.waitFor(text: "search:")
        try tmux.send("4.weight", literal: true)
        try tmux.send("Enter")
        let reopened = try tmux.waitFor(text: "4.weight (match")
        #expect(reopened.contains("2.weight = 4.weight"))
        #expect(reopened.contains("value = 7.5"))
        try tmux.send("q")
        #expect(try tmux.waitForFile("exit2.txt").contains("exit=0"))
        #expect(try tmux.waitForFile("stty-after2.txt") == tmux.waitForFile("stty-before2.txt"))
    }

    @Test func resizeStormDownToOneByOneThenQuit() throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied"))
        try tmux.waitFor(text: "Model")
        try tmux.send("b")
        try tmux.waitFor(text: "backward 1")
        for i in 0..<100 {
            let width = max(1, 120 - i * 120 / 99), height = max(1, 40 - i * 40 / 99)
            try tmux.tmux(["resize-window", "-t", tmux.session, "-x", String(width), "-y", String(height)])
        }
        try tmux.tmux(["resize-window", "-t", tmux.session, "-x", "1", "-y", "1"])
        usleep(200_000)
        try tmux.tmux(["resize-window", "-t", tmux.session, "-x", "30", "-y", "10"])
        try tmux.waitFor(text: "too small")
        try tmux.tmux(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        let screen = try tmux.waitFor(text: "Model")
        #expect(screen.contains("backward 1"))
        try tmux.send("q")
        #expect(try tmux.waitForFile("exit.txt").contains("exit=0"))
        #expect(try tmux.waitForFile("stty-after.txt") == tmux.waitForFile("stty-before.txt"))
    }

    @Test(arguments: ["C-c", "TERM", "HUP"])
    func theTerminalComesBackAfter(_ way: String) throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied"))
        try tmux.waitFor(text: "Model")
        if way == "C-c" {
            try tmux.send("C-c")
        } else {
            let shell = try tmux.tmux(["list-panes", "-t", tmux.session, "-F", "#{pane_pid}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let child = try TmuxHarness.run("/usr/bin/env", ["ps", "-o", "pid=", "--ppid", shell])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(Int32(child), "no nnview process under the pane's shell \(shell)")
            #expect(kill(pid, way == "TERM" ? SIGTERM : SIGHUP) == 0)
        }
        _ = try tmux.waitForFile("exit.txt")
        #expect(try tmux.waitForFile("stty-after.txt") == tmux.waitForFile("stty-before.txt"))
    }
}

/// A transformers folder in the real binary in a real terminal: type a text, forward, backward on the tied
/// embedding, edit it, forward again (the predictions change), undo, save, quit.
@Suite(.serialized, .enabled(if: TmuxHarness.isAvailable, "tmux is not installed"), .timeLimit(.minutes(2)))
struct TmuxLiveTransformerTests {
    @Test func typeForwardBackwardEditUndoSaveQuit() throws {
        let binary = try NNViewBinary.path.get()
        let gpt2 = NNViewBinary.packageRoot.appendingPathComponent("Tests/ArchitecturesTests/Fixtures/gpt2").path
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "'\(gpt2)' --theme monochrome"))
        try tmux.waitFor(text: "live causal LM")

        try tmux.send("i")
        try tmux.waitFor(text: "texts (separate several")
        try tmux.send("the cat sat", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "input: 1 text")
        try tmux.send("f")
        let forward = try tmux.waitFor(text: "→ next token:")
        #expect(forward.contains("text 1 \"the cat sat\""))
        func statusLine(_ screen: String) -> String { String(screen.split(separator: "\n").last ?? "") }
        let before = statusLine(forward)
        #expect(before.contains("forward: next token"))

        try tmux.send("/")
        try tmux.waitFor(text: "search:")
        try tmux.send("wte.weight", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "transformer.wte.weight = lm_head.weight")
        try tmux.send("b")
        let backward = try tmux.waitFor(text: "gradient by use")
        #expect(backward.contains("transformer.wte  ") && backward.contains("via lm_head"))

        // Zero the tied embedding, forward again: the prediction changes; undo brings it back.
        try tmux.send("Z")
        try tmux.waitFor(text: "unsaved")
        try tmux.send("f")
        let zeroed = try tmux.waitFor(text: "forward: next token")
        #expect(statusLine(zeroed) != before)
        try tmux.send("u")
        try tmux.waitFor(text: "undid")
        try tmux.send("f")
        try tmux.waitFor("the restored prediction") { statusLine($0) == before }

        try tmux.send("W")
        try tmux.waitFor(text: "save as")
        try tmux.send(tmux.directory.appendingPathComponent("saved.safetensors").path, literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "saved ")
        try tmux.send("q")
        #expect(try tmux.waitForFile("exit.txt").contains("exit=0"))
        #expect(FileManager.default.fileExists(atPath: tmux.directory.appendingPathComponent("saved.safetensors").path))
    }
}
