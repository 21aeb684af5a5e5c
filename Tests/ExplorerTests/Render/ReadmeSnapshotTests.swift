import Foundation
import Testing

/// The README's "What you get" screen is what `nnview snapshot tied --size 100x30 --keys "/ text:2.weight Enter b b"`
/// prints: if this fails, re-run that command and paste its output into the README. The real binary runs in its own
/// process, so the weights don't depend on other tests drawing from the shared random generator meanwhile.
@Suite struct ReadmeSnapshotTests {
    @Test func readmeShowsTheCurrentScreen() throws {
        let readme = NNViewBinary.packageRoot.appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let command = "nnview snapshot tied --size 100x30 --keys \"/ text:2.weight Enter b b\"\n```\n\n```\n"
        let start = try #require(text.range(of: command)).upperBound
        let end = try #require(text.range(of: "```\n", range: start..<text.endIndex)).lowerBound
        let shown = String(text[start..<end])

        let binary = try NNViewBinary.path.get()
        let printed = try TmuxHarness.run(binary, ["snapshot", "tied", "--size", "100x30", "--keys",
                                                   "/ text:2.weight Enter b b"])
        #expect(shown == (printed.hasSuffix("\n") ? printed : printed + "\n"))
    }
}
