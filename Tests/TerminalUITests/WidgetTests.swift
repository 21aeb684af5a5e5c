import Testing
@testable import TerminalUI

/// Counts how often the tree asks for a row, to prove it only asks for visible ones.
final class RowCounter: @unchecked Sendable {
    var calls = 0
}

@Suite struct TreeViewTests {
    @Test func scrollOffsetKeepsTheCursorVisible() {
        #expect(TreeView.scrollOffset(cursor: 0, previousOffset: 0, visibleRows: 10, rowCount: 100) == 0)
        #expect(TreeView.scrollOffset(cursor: 15, previousOffset: 0, visibleRows: 10, rowCount: 100) == 6)
        #expect(TreeView.scrollOffset(cursor: 7, previousOffset: 6, visibleRows: 10, rowCount: 100) == 6)
        #expect(TreeView.scrollOffset(cursor: 3, previousOffset: 6, visibleRows: 10, rowCount: 100) == 3)
        #expect(TreeView.scrollOffset(cursor: 99, previousOffset: 0, visibleRows: 10, rowCount: 100) == 90)
        // Shrinking the list pulls the offset back.
        #expect(TreeView.scrollOffset(cursor: 4, previousOffset: 50, visibleRows: 10, rowCount: 5) == 0)
        #expect(TreeView.rowIndex(atY: 3, in: Rect(x: 0, y: 1, width: 5, height: 5), scrollOffset: 10, rowCount: 100) == 12)
        #expect(TreeView.rowIndex(atY: 0, in: Rect(x: 0, y: 1, width: 5, height: 5), scrollOffset: 10, rowCount: 100) == nil)
    }

    @Test func asksOnlyForVisibleRowsOfAHugeTree() {
        let counter = RowCounter()
        let count = 100_000
        let cursor = 54_321
        let offset = TreeView.scrollOffset(cursor: cursor, previousOffset: 0, visibleRows: 20, rowCount: count)
        var buffer = Buffer(width: 40, height: 20)
        TreeView(rowCount: count, row: { index in
            counter.calls += 1
            return TreeRow(depth: index % 3, text: "row\(index)", columns: ["\(index % 7)"])
        }, cursor: cursor, scrollOffset: offset, columnWidths: [4], theme: .builtInDefault)
            .render(in: buffer.area, buffer: &buffer)
        #expect(counter.calls == 20)
        #expect(buffer.textLines[19].contains("row54321"))
        #expect(buffer[0, 19]?.style == Theme.builtInDefault.selection)
    }

    @Test func rendersMarkersIndentAndColumns() {
        let rows = [
            TreeRow(depth: 0, text: "TiedNet", detail: "Sequential", isExpandable: true, isExpanded: true,
                    columns: ["", "208"]),
            TreeRow(depth: 1, text: "2", detail: "Linear(8 → 8)", isExpandable: true, isExpanded: false,
                    marker: "◆", markerColor: .rgb(255, 175, 0), columns: ["", "72"]),
            TreeRow(depth: 2, text: "weight", marker: "◆", markerColor: .rgb(255, 175, 0),
                    columns: ["[8, 8]", "64"]),
            TreeRow(depth: 2, text: "lazy", columns: ["?", "-"], isDimmed: true),
        ]
        var buffer = Buffer(width: 44, height: 5)
        TreeView(rowCount: rows.count, row: { rows[$0] }, cursor: 2, scrollOffset: 0, columnWidths: [8, 5],
                 theme: .builtInDefault).render(in: buffer.area, buffer: &buffer)
        assertSnapshot(buffer.text, named: "treeview")
        #expect(buffer[4, 1]?.style.fg == .rgb(255, 175, 0))
        var ascii = Buffer(width: 44, height: 5)
        TreeView(rowCount: rows.count, row: { rows[$0] }, cursor: 2, scrollOffset: 0, columnWidths: [8, 5],
                 theme: .builtInDefault, ascii: true).render(in: ascii.area, buffer: &ascii)
        #expect(ascii.textLines[0].hasPrefix("v TiedNet"))
        #expect(ascii.textLines[1].hasPrefix("  > * 2"))
    }
}

@Suite struct ChartTests {
    @Test func sparklineScalesBetweenMinAndMax() {
        var buffer = Buffer(width: 10, height: 1)
        Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7], theme: .builtInDefault).render(in: buffer.area, buffer: &buffer)
        #expect(buffer.textLines == ["  ▁▂▃▄▅▆▇█"])
        Sparkline(values: [5, .nan, 5], theme: .builtInDefault, ascii: true).render(in: buffer.area, buffer: &buffer)
        #expect(buffer.textLines == ["       ~!~"])
        #expect(buffer[8, 0]?.style == Theme.builtInDefault.nonFinite)
        // Only the newest values that fit are shown.
        var narrow = Buffer(width: 3, height: 1)
        Sparkline(values: [9, 9, 9, 0, 1, 2], theme: .builtInDefault).render(in: narrow.area, buffer: &narrow)
        #expect(narrow.textLines == ["▁▅█"])
    }

    @Test func histogramBarsAndBinning() {
        let binned = Histogram.bin([0, 0.1, 0.2, 0.9, 1.0, .nan, .infinity], binCount: 4)
        #expect(binned.counts == [3, 0, 0, 2])
        #expect(binned.min == 0 && binned.max == 1)
        #expect(Histogram.bin([.nan], binCount: 3).counts == [0, 0, 0])
        var buffer = Buffer(width: 8, height: 2)
        Histogram(counts: [4, 1, 0, 2], theme: .builtInDefault).render(in: buffer.area, buffer: &buffer)
        #expect(buffer.textLines == ["██", "██▄▄  ██"])  // 1 of 4 is a half cell of 2 rows
        Histogram(counts: [4, 3, 0, 1], theme: .builtInDefault).render(in: buffer.area, buffer: &buffer)
        assertSnapshot(buffer.text, named: "histogram")
        Histogram(counts: [4, 3, 0, 1], theme: .builtInDefault, ascii: true).render(in: buffer.area, buffer: &buffer)
        #expect(buffer.textLines == ["##::", "####  ::"])
    }

    @Test func boxStatusHelpPromptAndText() {
        var buffer = Buffer(width: 30, height: 9)
        let inner = Box(title: "Tree", theme: .builtInDefault).render(in: Rect(x: 0, y: 0, width: 12, height: 4),
                                                                     buffer: &buffer)
        #expect(inner == Rect(x: 1, y: 1, width: 10, height: 2))
        TextBlock(lines: ["a long line that wraps", "x"], style: .plain, wrap: true).render(in: inner, buffer: &buffer)
        Box(title: "A", theme: .builtInDefault, ascii: true).render(in: Rect(x: 14, y: 0, width: 6, height: 3),
                                                                    buffer: &buffer)
        StatusLine(text: "error: not a number", isError: true, rightText: "? help", theme: .builtInDefault)
            .render(in: Rect(x: 0, y: 5, width: 30, height: 1), buffer: &buffer)
        Prompt(label: "value: ", text: "0.25", cursor: 4, theme: .builtInDefault)
            .render(in: Rect(x: 0, y: 6, width: 30, height: 1), buffer: &buffer)
        assertSnapshot(buffer.text, named: "box-status-prompt")
        #expect(buffer[0, 5]?.style.fg == Theme.builtInDefault.error.fg)
        #expect(buffer[11, 6]?.style.attrs.contains(.reverse) == true)

        var help = Buffer(width: 40, height: 8)
        HelpOverlay(bindings: [KeyBinding("j / Down", "move down"), KeyBinding("q", "quit")], theme: .builtInDefault)
            .render(in: help.area, buffer: &help)
        assertSnapshot(help.text, named: "help-overlay")
        #expect(help.textLines.contains { $0.contains("j / Down  move down") })
    }

    @Test func promptScrollsToKeepTheCursorVisible() {
        var buffer = Buffer(width: 10, height: 1)
        Prompt(label: "v: ", text: "123456789", cursor: 9, theme: .builtInDefault)
            .render(in: buffer.area, buffer: &buffer)
        #expect(buffer.textLines == ["v: 456789"])
        #expect(buffer[9, 0]?.style.attrs.contains(.reverse) == true)
    }
}
