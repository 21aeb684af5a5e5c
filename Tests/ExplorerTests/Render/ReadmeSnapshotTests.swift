import Foundation
import Testing
import TerminalUI
@testable import Explorer

/// The README's "What you get" screen is what `nnview snapshot tied --size 100x30 --keys "/ text:2.weight Enter b b"`
/// prints: if this fails, re-run that command and paste its output into the README.
@Suite struct ReadmeSnapshotTests {
    @Test func readmeShowsTheCurrentScreen() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let command = "nnview snapshot tied --size 100x30 --keys \"/ text:2.weight Enter b b\"\n```\n\n```\n"
        let start = try #require(text.range(of: command)).upperBound
        let end = try #require(text.range(of: "```\n", range: start..<text.endIndex)).lowerBound
        let shown = String(text[start..<end])

        let harness = try RenderHarness("tied", width: 100, height: 30)
        let screen = try harness.press("/ text:2.weight Enter b b")
        let trimmed = screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
        #expect(shown.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) == trimmed)
    }
}
