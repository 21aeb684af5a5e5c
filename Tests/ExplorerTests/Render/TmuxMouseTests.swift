import Foundation
import Testing

/// Mouse clicks in the real binary: tmux passes X10 mouse reports (`ESC [ M b x y`, each byte 32 + value, 1-based
/// coordinates) typed into the pane to nnview as the terminal would.
@Suite(.serialized, .enabled(if: TmuxHarness.isAvailable, "tmux is not installed"), .timeLimit(.minutes(2)))
struct TmuxMouseTests {
    /// A press and release of the left button at 0-based screen cell (`x`, `y`).
    static func click(x: Int, y: Int) -> String {
        let cx = Character(UnicodeScalar(UInt8(33 + x))), cy = Character(UnicodeScalar(UInt8(33 + y)))
        return "\u{1b}[M \(cx)\(cy)\u{1b}[M#\(cx)\(cy)"
    }

    @Test func clicksSelectATreeRowAndAnElementOfABlownUpHeatmap() throws {
        let binary = try NNViewBinary.path.get()
        let tmux = try TmuxHarness()
        try tmux.start(script: TmuxEndToEndTests.script(binary, "tied"))
        let opening = try tmux.waitFor(text: "◆2 weight")

        // Click 2.weight's row in the tree.
        let lines = opening.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.contains("◆2 weight") })
        try tmux.send(TmuxMouseTests.click(x: 10, y: row), literal: true)
        let selected = try tmux.waitFor(text: "2.weight = 4.weight")

        // The heatmap starts under the cursor line, each element as many cells as the legend says.
        let screen = selected.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let cursorRow = try #require(screen.firstIndex { String($0).contains("cursor [0, 0]") })
        let line = String(screen[cursorRow])
        let left = try #require(line.range(of: "cursor ["))
        let x0 = line.distance(from: line.startIndex, to: left.lowerBound)
        let label = try #require(selected.range(of: #"each element (\d+)×(\d+) cells"#, options: .regularExpression))
        let sizes = selected[label].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let (width, height) = (sizes[0], sizes[1])
        #expect(width > 1 && height > 1)
        // Element [2, 3], a cell inside its block (not its top-left corner).
        try tmux.send(TmuxMouseTests.click(x: x0 + 3 * width + width - 1, y: cursorRow + 1 + 2 * height + height - 1),
                      literal: true)
        try tmux.waitFor(text: "cursor [2, 3]")
        try tmux.send("q")
        #expect(try tmux.waitForFile("exit.txt").contains("exit=0"))
    }
}
