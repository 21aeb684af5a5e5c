import Foundation
import Testing
import TerminalUI
@testable import Explorer

/// Whole frames of the explorer as golden text (Snapshots/NAME.txt; re-record with NNVIEW_RECORD_SNAPSHOTS=1).
/// Plain-text frames are drawn at colour depth none, where heatmaps are characters: a sign and a magnitude ramp.
@Suite struct ExplorerSnapshotTests {
    @Test func tiedDemoTreeOnOpening() throws {
        let harness = try RenderHarness()
        goldens.assertMatches(harness.text, named: "tied-tree")
        #expect(harness.text.contains("Linear(8 → 8)"))
        #expect(harness.text.contains("weight  [8, 8]  F32"))
    }

    @Test func heatmapOfTiedWeight() throws {
        let harness = try RenderHarness()
        let text = try harness.press("/ text:2.weight Enter")
        goldens.assertMatches(text, named: "tied-2.weight-heatmap")
        #expect(text.contains("2.weight = 4.weight"))
        #expect(text.contains("1:1"))
    }

    @Test func tiedGradientViewAfterTwoBackwardPasses() throws {
        let harness = try RenderHarness()
        let text = try harness.press("/ text:2.weight Enter b b")
        goldens.assertMatches(text, named: "tied-gradient-b-b")
        #expect(text.contains("2 backward passes accumulated since last zero"))
        #expect(text.contains("via module 2") && text.contains("via module 4") && text.contains("sum"))
    }

    @Test func moduleDetailAfterForward() throws {
        let harness = try RenderHarness()
        let text = try harness.press("f j j j j j")
        goldens.assertMatches(text, named: "module-detail-2")
        #expect(text.contains("2 = 4  Linear(8 → 8)"))
        #expect(text.contains("in [2, 8] → out [2, 8]"))
    }

    @Test func helpOverlay() throws {
        let harness = try RenderHarness()
        let text = try harness.press("?")
        goldens.assertMatches(text, named: "help")
        // A key explained on another key's line (`[` beside `]`) has no line of its own.
        for entry in Keymap.default.entries where !entry.help.isEmpty { #expect(text.contains(entry.help)) }
    }

    @Test func tinyTerminal() throws {
        let harness = try RenderHarness(width: 30, height: 10)
        goldens.assertMatches(harness.text, named: "tiny-30x10")
        #expect(harness.text.contains("terminal too small"))
    }

    @Test func browseModeOfASafetensorsFile() throws {
        let path = explorerFixtures.appendingPathComponent("seed_tied.safetensors").path
        let harness = try RenderHarness(path)
        let text = try harness.press("/ text:2.weight Enter")
        // The header holds the fixture's absolute path, which differs between machines: the golden starts below.
        let lines = harness.buffer.textLines
        goldens.assertMatches(lines.dropFirst().joined(separator: "\n"), named: "browse-seed_tied.safetensors")
        #expect(lines[0].contains("seed_tied.safetensors · 121 params · browse"))
        #expect(text.contains("2.weight = 4.weight"))
    }

    @Test func ansi256ColourFrame() throws {
        let harness = try RenderHarness(width: 80, height: 24, depth: .colors256)
        try harness.press("/ text:2.weight Enter")
        let ansi = harness.backend.ansiText
        goldens.assertMatches(ansi, named: "tied-2.weight-ansi256")
        #expect(ansi.contains(";5;") && ansi.contains("\u{1B}["))
        #expect(harness.text.contains("▀"))
    }

    @Test func asciiFrame() throws {
        let harness = try RenderHarness(width: 100, height: 30, ascii: true)
        let text = try harness.press("/ text:2.weight Enter b b")
        goldens.assertMatches(text, named: "tied-ascii-b-b")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }
}
