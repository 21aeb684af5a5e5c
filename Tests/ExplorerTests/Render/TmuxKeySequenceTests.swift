import Foundation
import Testing

/// Keys arrive as escape sequences curses does not know when TERM does not match the terminal (tmux with
/// TERM=xterm-256color sends End as ESC [ 4 ~): they must be keys, not their letters (issue 15 §4).
@Suite(.serialized, .enabled(if: TmuxHarness.isAvailable, "tmux is not installed"), .timeLimit(.minutes(2)))
struct TmuxKeySequenceTests {
    @Test func endHomeAndAltBInTmuxWithXtermTerm() throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: "export TERM=xterm-256color\n" + TmuxEndToEndTests.script(binary, "tied"))
        try tmux.waitFor(text: "Model")
        #expect(try tmux.screen().contains("lr 0.01"))

        // End: the cursor goes to the last row (6.bias, shape [1]); the learning rate is untouched.
        try tmux.send("End")
        let atEnd = try tmux.waitFor("the last row selected") { screen in
            screen.split(separator: "\n").contains { $0.contains("▶") && $0.contains("[1]") && $0.contains("bias") }
        }
        #expect(atEnd.contains("lr 0.01"), "End must not arrive as '[' (smaller learning rate)")
        #expect(!atEnd.contains("backward #"))

        // Home: back to the root.
        try tmux.send("Home")
        try tmux.waitFor("the root selected") { screen in
            screen.split(separator: "\n").contains { $0.contains("▶") && $0.contains("tied") }
        }

        // Alt-b (ESC b) is not b: no backward pass. A plain f afterwards still works, so the keys were read.
        try tmux.send("M-b")
        try tmux.send("f")
        let after = try tmux.waitFor(text: "forward")
        #expect(!after.contains("backward #"), "Alt-b ran a backward pass")
        #expect(after.contains("lr 0.01"))
        try tmux.send("q")
        _ = try tmux.waitForFile("exit.txt")
    }
}
