import Foundation
import Testing

/// A training run in a real terminal (tmux): `T` asks for the steps, the strip shows the progress while the
/// steps run one per tick, Esc stops the run between steps keeping the steps done, and one `u` undoes it all.
@Suite(.serialized, .enabled(if: TmuxHarness.isAvailable, "tmux is not installed"), .timeLimit(.minutes(2)))
struct TmuxTrainingTests {
    @Test func escStopsARunningTrainingAndUUndoesIt() throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied"), width: 100, height: 30)
        try tmux.waitFor(text: "Model")

        // The mse loss (L L) stays finite; the sum loss of this network runs to -inf within a hundred steps.
        try tmux.send("L")
        try tmux.send("L")
        try tmux.waitFor(text: "loss fn mse")
        try tmux.send("T")
        try tmux.waitFor(text: "train how many steps")
        // The prompt's 20 is selected: typing replaces it. A million steps cannot finish before Esc.
        try tmux.send("1000000", literal: true)
        try tmux.send("Enter")
        let running = try tmux.waitFor("steps running", timeout: 30) { screen in
            screen.contains("┌ Training") && screen.contains("Esc stops")
                && screen.range(of: #"training: step [1-9][0-9,]* of 1000000"#, options: .regularExpression) != nil
        }
        #expect(running.contains("loss: first "))

        try tmux.send("Escape")
        let stopped = try tmux.waitFor(text: "stopped after ", timeout: 30)
        let line = try #require(stopped.split(separator: "\n").last { $0.contains("stopped after ") })
        let done = try #require(Int(String(line).replacingOccurrences(of: #".*stopped after ([0-9]+) of.*"#, with: "$1",
                                                                        options: .regularExpression)))
        #expect(done > 0 && done < 1_000_000)
        #expect(stopped.contains("u undoes the run"))
        // The steps stopped: the count on the strip stays.
        usleep(300_000)
        #expect(try tmux.screen().contains("stopped after \(done) of 1000000 steps"))

        // Esc closes the strip; u undoes the whole run.
        try tmux.send("Escape")
        try tmux.waitFor("the strip closed") { !$0.contains("┌ Training") }
        try tmux.send("u")
        try tmux.waitFor(text: "undid: training run: stopped after \(done) of 1000000 steps")
        // Undone, nothing is left unsaved: q quits at once.
        try tmux.send("q")
        #expect(try tmux.waitForFile("exit.txt").contains("exit=0"))
    }
}
