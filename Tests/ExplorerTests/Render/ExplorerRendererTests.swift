import Foundation
import Testing
import TerminalUI
@testable import Explorer

/// What frames do beyond their text: resizes, mouse hits, viewport reports, error colours, depths, summaries.
@Suite struct ExplorerRendererTests {
    @Test func resizeStormDownToOneByOneNeverCrashes() throws {
        let harness = try RenderHarness()
        try harness.press("/ text:2.weight Enter b")
        var sizes: [(Int, Int)] = []
        for i in 0..<100 {
            let width = max(1, 120 - i * 6 % 121), height = max(1, 40 - i % 41)
            sizes.append((width, height))
        }
        sizes += [(1, 1), (0, 0), (40, 12), (39, 12), (1, 40), (200, 1), (120, 40)]
        for (width, height) in sizes {
            harness.backend.resize(width: width, height: height)
            try harness.press("")
            #expect(harness.buffer.width == width && harness.buffer.height == height)
        }
        #expect(harness.text.contains("2.weight = 4.weight"))
    }

    @Test func belowMinimumSizeShowsTheNoticeAndAtMinimumTheExplorer() throws {
        let small = try RenderHarness(width: 39, height: 12)
        #expect(small.text.contains("terminal too small"))
        let minimum = try RenderHarness(width: 40, height: 12)
        #expect(!minimum.text.contains("terminal too small"))
        #expect(minimum.text.contains("Model"))
    }

    @Test func theStateLearnsWhatFits() throws {
        let harness = try RenderHarness()
        let layout = ExplorerLayout(width: 120, height: 40)
        #expect(harness.state.treeViewportRows == layout.treeInner.height)
        try harness.press("/ text:2.weight Enter")
        #expect(harness.state.heatmapViewport.row > 8 && harness.state.heatmapViewport.col > 8)
    }

    @Test func clickingATreeRowSelectsIt() throws {
        let harness = try RenderHarness()
        let lines = harness.buffer.textLines
        let y = try #require(lines.firstIndex(where: { $0.contains("◆2 weight") }))
        try harness.press("Click:10,\(y)")
        guard case .tensor(let detail) = harness.state.detail else {
            Issue.record("a click on 2.weight's row should show the tensor")
            return
        }
        #expect(detail.names == ["2.weight", "4.weight"])
    }

    @Test func clickingAHeatmapCellMovesTheCursor() throws {
        let harness = try RenderHarness()
        try harness.press("/ text:2.weight Enter")
        let frame = try #require(harness.session.lastFrame)
        let rect = try #require(frame.heatmapRect)
        // Character mode: two columns per value, one row per data row, each element blown up to fill the pane.
        let scale = frame.heatmapUpscale
        try harness.press("Click:\(rect.x + 2 * scale.cols * 3),\(rect.y + scale.rows * 5)")
        guard case .tensor(let detail) = harness.state.detail else {
            Issue.record("detail should still show 2.weight")
            return
        }
        #expect(detail.cursorIndex == [5, 3])
        #expect(harness.text.contains("cursor [5, 3]"))
    }

    @Test func anEditShowsAtTheOtherUseAndUndoRestoresIt() throws {
        let harness = try RenderHarness()
        try harness.press("/ text:2.weight Enter Tab e text:7.5 Enter")
        #expect(harness.text.contains("value = 7.5"))
        let atFour = try harness.press("Tab / text:4.weight Enter")
        #expect(atFour.contains("value = 7.5"))
        #expect(atFour.contains("● unsaved"))
        #expect(atFour.contains("F32 ✎"))
        let undone = try harness.press("u")
        #expect(!undone.contains("value = 7.5"))
    }

    @Test func errorsUseTheErrorColour() throws {
        let harness = try RenderHarness(depth: .trueColor)
        try harness.press("/ text:2.weight Enter Tab e text:abc Enter")
        let statusRow = harness.buffer.height - 1
        let line = harness.buffer.textLines[statusRow]
        #expect(!line.isEmpty)
        let cell = try #require(harness.buffer[0, statusRow])
        #expect(cell.style.fg == Theme.builtInDefault.error.fg)
        #expect(harness.state.status.isError)
    }

    @Test func colourDepthsDrawBlocksOrCharacters() throws {
        for depth in ColorDepth.allCases {
            let harness = try RenderHarness(depth: depth)
            let text = try harness.press("/ text:2.weight Enter")
            #expect(text.contains("▀") == (depth != .none), "depth \(depth)")
        }
        let ascii = try RenderHarness(depth: .colors256, ascii: true)
        let text = try ascii.press("/ text:2.weight Enter")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func promptAndQuestionTakeTheStatusLine() throws {
        let harness = try RenderHarness()
        let prompt = try harness.press("/ text:2.we")
        #expect(harness.buffer.textLines.last?.hasPrefix("search: 2.we") == true, "\(prompt)")
        try harness.press("Enter Tab e text:3 Enter q")
        #expect(harness.buffer.textLines.last?.contains("(y/n") == true)
        #expect(harness.buffer.textLines.last?.contains("w saves") == true)
    }

    @Test func focusMovesTheHighlightedBorder() throws {
        let harness = try RenderHarness(depth: .trueColor)
        let layout = ExplorerLayout(width: 120, height: 40)
        let treeCorner = try #require(harness.buffer[layout.treePane.x, layout.treePane.y])
        let detailCorner = try #require(harness.buffer[layout.detailPane.x, layout.detailPane.y])
        #expect(treeCorner.style.attrs.contains(.bold) && !detailCorner.style.attrs.contains(.bold))
        try harness.press("Tab")
        let treeAfter = try #require(harness.buffer[layout.treePane.x, layout.treePane.y])
        let detailAfter = try #require(harness.buffer[layout.detailPane.x, layout.detailPane.y])
        #expect(!treeAfter.style.attrs.contains(.bold) && detailAfter.style.attrs.contains(.bold))
    }

    @Test func textSummaryListsTheTree() throws {
        let state = try RenderHarness().state
        let summary = ExplorerTextSummary.text(of: state)
        #expect(summary.hasPrefix("tied (built-in examples/tied.nn, live): 121 params"))
        #expect(summary.contains("◆1 2  Linear(8 → 8)  (72)"))
        #expect(summary.contains("◆2 weight  [8, 8]  F32  (64)"))
    }
}
