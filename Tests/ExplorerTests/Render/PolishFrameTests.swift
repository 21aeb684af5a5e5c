import Foundation
import Testing
import TerminalUI
@testable import Explorer

/// Frames a first-time user sees at common sizes: small tensors blown up, aligned tree columns that keep the
/// dtype, statistics beside a small heatmap on an 80×24 screen, labels that fit narrow panes.
@Suite struct PolishFrameTests {
    /// Screen cells of `rect` whose background is the cursor colour.
    private func cursorCells(_ buffer: Buffer, in rect: Rect) -> [(x: Int, y: Int)] {
        var cells: [(x: Int, y: Int)] = []
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where buffer[x, y]?.style.bg == Theme.builtInDefault.heatmapCursor {
                cells.append((x, y))
            }
        }
        return cells
    }

    @Test func aSmallWeightFillsThePaneInSquareElements() throws {
        let harness = try RenderHarness(width: 130, height: 40, depth: .trueColor)
        let text = try harness.press("/ text:2.weight Enter")
        let frame = try #require(harness.session.lastFrame)
        let rect = try #require(frame.heatmapRect)
        let scale = frame.heatmapUpscale
        // Half blocks: k columns × k data rows (k/2 text rows) per element, k even, the 8×8 grid kept whole.
        #expect(scale.rows > 1 && scale.rows == scale.cols && scale.rows % 2 == 0)
        #expect(rect.width == 8 * scale.cols && rect.height == 8 * scale.rows / 2)
        #expect(text.contains("1:1, each element \(scale.cols)×\(scale.rows / 2) cells"))
        // The cursor (at [0, 0]) covers exactly its element's block.
        let cursor = cursorCells(harness.buffer, in: rect)
        #expect(cursor.count == scale.cols * scale.rows / 2)
        #expect(cursor.allSatisfy { $0.x < rect.x + scale.cols && $0.y < rect.y + scale.rows / 2 })
    }

    @Test func clicksAndTheCursorFollowTheScale() throws {
        let harness = try RenderHarness(width: 130, height: 40, depth: .trueColor)
        try harness.press("/ text:2.weight Enter")
        let frame = try #require(harness.session.lastFrame)
        let rect = try #require(frame.heatmapRect)
        let scale = frame.heatmapUpscale
        let elementWidth = scale.cols, elementHeight = scale.rows / 2
        // The last cell of element [6, 5].
        try harness.press("Click:\(rect.x + 5 * elementWidth + elementWidth - 1),\(rect.y + 6 * elementHeight + elementHeight - 1)")
        guard case .tensor(let detail) = harness.state.detail else {
            Issue.record("detail should still show 2.weight")
            return
        }
        #expect(detail.cursorIndex == [6, 5])
        let cursor = cursorCells(harness.buffer, in: rect)
        #expect(cursor.count == elementWidth * elementHeight)
        #expect(cursor.allSatisfy { ($0.x - rect.x) / elementWidth == 5 && ($0.y - rect.y) / elementHeight == 6 })
    }

    @Test func characterAndAsciiModesScaleToo() throws {
        for (depth, ascii) in [(ColorDepth.none, false), (.colors256, true)] {
            let harness = try RenderHarness(width: 130, height: 40, depth: depth, ascii: ascii)
            let text = try harness.press("/ text:2.weight Enter")
            let frame = try #require(harness.session.lastFrame)
            let rect = try #require(frame.heatmapRect)
            let scale = frame.heatmapUpscale
            #expect(scale.rows > 1, "depth \(depth) ascii \(ascii)")
            // Roughly square on screen: twice as many columns as text rows per element.
            let geometry = Heatmap.geometry(depth: depth, ascii: ascii)
            #expect(scale.cols * geometry.cellsPerValue == 2 * scale.rows / geometry.dataRowsPerCell)
            #expect(rect.height == 8 * scale.rows / geometry.dataRowsPerCell)
            #expect(text.contains("each element"))
        }
    }

    @Test func tiedGradientHeatmapsShareTheScale() throws {
        let harness = try RenderHarness(width: 200, height: 60, depth: .trueColor)
        let text = try harness.press("/ text:2.weight Enter b b")
        #expect(text.contains("via module 2") && text.contains("via module 4") && text.contains("sum = grad"))
        // Three 8-wide grids blown up side by side: the row under the labels has coloured cells far beyond 8×3.
        let labelRow = try #require(harness.row(containing: "via module 2"))
        let line = labelRow + 1
        let coloured = (0..<harness.buffer.width).filter { harness.buffer[$0, line]?.symbol == "▀" }
        #expect(coloured.count >= 3 * 8 * 2)
    }

    @Test func onlyWholeElementGridsAreBlownUpAndNotBeyondAReadableSize() {
        func grid(rows: Int, cols: Int, block: Int) -> HeatmapGrid {
            HeatmapGrid(values: Array(repeating: 1, count: rows * cols), rows: rows, cols: cols, scale: 1,
                        methodLabel: block == 1 ? "1:1" : "max |x| per \(block)×\(block) block", cursor: nil,
                        blockRows: block, blockCols: block, origin: GridPoint(row: 0, col: 0),
                        matrixRows: rows * block, matrixCols: cols * block)
        }
        let capacity = (rows: 60, cols: 46)
        #expect(HeatmapUpscale.fitting(grid(rows: 4, cols: 4, block: 2), capacity: capacity, depth: .trueColor,
                                       ascii: false) == .identity)
        #expect(HeatmapUpscale.fitting(grid(rows: 60, cols: 46, block: 1), capacity: capacity, depth: .trueColor,
                                       ascii: false) == .identity)
        let eight = HeatmapUpscale.fitting(grid(rows: 8, cols: 8, block: 1), capacity: capacity, depth: .trueColor,
                                           ascii: false)
        #expect(eight == HeatmapUpscale(rows: 4, cols: 4))
        let single = HeatmapUpscale.fitting(grid(rows: 1, cols: 1, block: 1), capacity: capacity, depth: .trueColor,
                                            ascii: false)
        #expect(single.cols == HeatmapUpscale.maximumElementWidth)
        let expanded = HeatmapUpscale(rows: 2, cols: 3).expanded(
            HeatmapGrid(values: [1, 2, 3, 4], rows: 2, cols: 2, scale: 4, methodLabel: "1:1", cursor: nil,
                        blockRows: 1, blockCols: 1, origin: GridPoint(row: 0, col: 0), matrixRows: 2, matrixCols: 2))
        #expect(expanded.rows == 4 && expanded.cols == 6)
        #expect(expanded.values == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4])
    }

    @Test func treeRowsKeepTheirDtypeAtEveryWidth() throws {
        for (width, height) in [(80, 24), (100, 30), (130, 40), (200, 60)] {
            let harness = try RenderHarness(width: width, height: height)
            for keys in ["", "b b"] {
                try harness.press(keys)
                let treeWidth = ExplorerLayout(width: width, height: height).treePane.width
                let lines = harness.buffer.textLines.map { String($0.prefix(treeWidth)) }
                let tensorRows = lines.filter { $0.contains("weight") || $0.contains("bias") }.prefix(8)
                #expect(tensorRows.count == 8, "\(width)x\(height)")
                for row in tensorRows {
                    #expect(row.contains("F32"), "\(width)x\(height) after '\(keys)': \(row)")
                }
                // Shapes and dtypes line up, markers or not.
                let dtypeColumns = Set(tensorRows.compactMap { row in
                    row.range(of: "F32").map { row.distance(from: row.startIndex, to: $0.lowerBound) }
                })
                #expect(dtypeColumns.count == 1, "\(width)x\(height): \(tensorRows)")
            }
        }
    }

    @Test func gradientNormsAreAlignedWhenShown() throws {
        let harness = try RenderHarness(width: 130, height: 40)
        let text = try harness.press("b")
        let rows = text.split(separator: "\n").filter { $0.contains("∇") }
        #expect(rows.count == 8)
        let columns = Set(rows.map { String($0).prefix { $0 != "∇" }.count })
        #expect(columns.count == 1, "\(rows)")
    }

    @Test func eightyByTwentyFourShowsTheSmallWeightWholeWithStatisticsBeside() throws {
        let harness = try RenderHarness(width: 80, height: 24)
        let text = try harness.press("/ text:2.weight Enter")
        #expect(text.contains("1:1"))
        #expect(!text.contains("per 2×1 block"))
        // The exact value, whole (weights differ between runs while other tests seed the shared generator).
        guard case .tensor(let detail) = harness.state.detail, let value = detail.cursorValue else {
            Issue.record("2.weight should be shown with a value at the cursor")
            return
        }
        #expect(text.contains("value = \(value)"))
        // `min` sits on the heatmap's first row, not under it.
        let frame = try #require(harness.session.lastFrame)
        let rect = try #require(frame.heatmapRect)
        #expect(harness.buffer.textLines[rect.y].contains("min"))
        #expect(text.contains("parameter · [8, 8] · F32 · values"))
    }

    @Test func narrowTiedViewShortensItsLabels() throws {
        let harness = try RenderHarness(width: 80, height: 24)
        let text = try harness.press("/ text:2.weight Enter b b")
        #expect(text.contains("2 backward passes since zero"))
        #expect(text.contains("via 2") && text.contains("via 4") && text.contains("sum"))
        #expect(text.contains("(off by 0)"))
    }

    @Test func helpAtEightyByTwentyFourShowsEveryLineWhole() throws {
        let harness = try RenderHarness(width: 80, height: 24)
        let text = try harness.press("?")
        for binding in Keymap.default.helpBindings {
            #expect(text.contains(binding.description), "\(binding.key): \(binding.description)")
        }
        // The two halves touch: no column of the frame behind shows between them.
        #expect(text.contains("│┌ more keys") || text.contains("┐┌ more keys"))
    }

    @Test func asciiArrowsStayArrows() throws {
        let harness = try RenderHarness(width: 100, height: 30, ascii: true)
        #expect(harness.text.contains("Linear(4 -> 8)"))
        #expect(harness.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func quittingWithUnsavedEditsSaysHowToKeepThem() throws {
        let harness = try RenderHarness(width: 100, height: 30)
        try harness.press("/ text:2.weight Enter Tab e text:3 Enter q")
        let question = try #require(harness.buffer.textLines.last)
        #expect(question.contains("quit without saving? (y/n; n then w saves them)"))
        try harness.press("n")
        let answer = try #require(harness.buffer.textLines.last)
        #expect(answer.contains("w saves, W saves as"))
    }

    @Test func browseModeGroupsSayWhatTheyAreAndTheHintWraps() throws {
        let harness = try RenderHarness(explorerFixtures.appendingPathComponent("seed_tied.safetensors").path,
                                        width: 80, height: 24)
        let text = try harness.press("j")
        #expect(text.contains("group of tensors · 40 params in subtree"))
        #expect(!text.contains("module  ·"))
        // The hint is wrapped inside the pane, its last words on screen.
        #expect(text.contains("to run the model)"))
    }
}
