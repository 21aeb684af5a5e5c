import Foundation
import Testing
@testable import TerminalUI

@Suite struct HeatmapTests {
    /// A 6×8 ramp from -1 to 1 with NaN, +Inf and -Inf planted in the last row pair.
    static func sample() -> (values: [Float], rows: Int, cols: Int) {
        let rows = 6, cols = 8
        var values = (0..<rows * cols).map { i in Float(i) / Float(rows * cols - 1) * 2 - 1 }
        values[4 * cols + 1] = .nan
        values[5 * cols + 3] = .infinity
        values[4 * cols + 5] = -.infinity
        return (values, rows, cols)
    }

    static func render(depth: ColorDepth, ascii: Bool, cursor: (row: Int, col: Int)? = (1, 2)) -> Buffer {
        let s = sample()
        let capacity = Heatmap.capacity(width: 16, height: 6, depth: depth, ascii: ascii)
        #expect(capacity.rows >= s.rows && capacity.cols >= s.cols)
        var buffer = Buffer(width: 16, height: 6)
        Heatmap(values: s.values, rows: s.rows, cols: s.cols, scale: 1, cursor: cursor, theme: .builtInDefault,
                depth: depth, ascii: ascii).render(in: buffer.area, buffer: &buffer)
        return buffer
    }

    @Test func halfBlocksAtEachColorDepth() {
        for depth in [ColorDepth.trueColor, .colors256, .colors8] {
            let buffer = Self.render(depth: depth, ascii: false)
            assertSnapshot(buffer.ansiText(depth: depth), named: "heatmap-halfblocks-\(depth)")
            // Two data rows per cell: 6 rows fit in 3 text rows.
            #expect(buffer.textLines[2].contains("N"))
            #expect(buffer.textLines[3].isEmpty)
        }
    }

    @Test func nonFiniteCellsAreGlyphsNotColours() throws {
        let buffer = Self.render(depth: .trueColor, ascii: false)
        // Data (4,1) is NaN, (5,3) +Inf, (4,5) -Inf: all in text row 2.
        let nan = try #require(buffer[1, 2]), plus = try #require(buffer[3, 2]), minus = try #require(buffer[5, 2])
        #expect(nan.symbol == "N" && plus.symbol == "+" && minus.symbol == "-")
        #expect(nan.style == Theme.builtInDefault.nonFinite)
        #expect(try #require(buffer[0, 2]).symbol == "▀")
    }

    @Test func colormapIsCentredOnZero() {
        let theme = Theme.builtInDefault
        #expect(Heatmap.color(for: 0, scale: 2, theme: theme, depth: .trueColor) == theme.heatmapZero)
        #expect(Heatmap.color(for: -2, scale: 2, theme: theme, depth: .trueColor) == theme.heatmapNegative)
        #expect(Heatmap.color(for: 5, scale: 2, theme: theme, depth: .trueColor) == theme.heatmapPositive)
        #expect(Heatmap.color(for: -2, scale: 2, theme: theme, depth: .colors8) == .ansi(4))
        #expect(Heatmap.color(for: 2, scale: 2, theme: theme, depth: .colors8) == .ansi(1))
        #expect(Heatmap.color(for: 0.1, scale: 2, theme: theme, depth: .colors8) == .ansi(7))
    }

    @Test func cursorCellIsHighlighted() throws {
        let buffer = Self.render(depth: .trueColor, ascii: false)
        // Data row 1 is the bottom half of text row 0.
        #expect(try #require(buffer[2, 0]).style.bg == Theme.builtInDefault.heatmapCursor)
        #expect(try #require(buffer[3, 0]).style.bg != Theme.builtInDefault.heatmapCursor)
    }

    @Test func characterModeForNoColor() {
        let buffer = Self.render(depth: .none, ascii: false)
        assertSnapshot(buffer.text, named: "heatmap-characters")
        #expect(buffer.textLines[4].contains("N!"))
        #expect(buffer.textLines[5].contains("+!"))
        #expect(buffer.textLines[4].contains("-!"))
        #expect(Heatmap.characters(for: -1, scale: 1) == "-@")
        #expect(Heatmap.characters(for: 0, scale: 1) == "  ")
        #expect(Heatmap.characters(for: 0.001, scale: 1) == " .")
    }

    @Test func asciiModeUsesOnlyASCII() {
        let colored = Self.render(depth: .colors256, ascii: true)
        assertSnapshot(colored.ansiText(depth: .colors256), named: "heatmap-ascii-256")
        let mono = Self.render(depth: .none, ascii: true)
        for buffer in [colored, mono] {
            #expect(buffer.text.unicodeScalars.allSatisfy { $0.isASCII })
        }
        #expect(colored.textLines[4].contains("N"))
    }

    @Test func capacityAndClickMapping() throws {
        #expect(Heatmap.capacity(width: 10, height: 5, depth: .trueColor, ascii: false) == (rows: 10, cols: 10))
        #expect(Heatmap.capacity(width: 10, height: 5, depth: .colors8, ascii: true) == (rows: 5, cols: 10))
        #expect(Heatmap.capacity(width: 10, height: 5, depth: .none, ascii: false) == (rows: 5, cols: 5))
        let rect = Rect(x: 2, y: 1, width: 10, height: 5)
        let cell = try #require(Heatmap.dataCell(atX: 4, y: 3, in: rect, rows: 10, cols: 10, depth: .trueColor,
                                                 ascii: false))
        #expect(cell.row == 4 && cell.col == 2)
        #expect(Heatmap.dataCell(atX: 0, y: 0, in: rect, rows: 10, cols: 10, depth: .trueColor, ascii: false) == nil)
    }

    @Test func legendShowsScaleAndMethod() {
        var buffer = Buffer(width: 20, height: 3)
        HeatmapLegend(scale: 0.5, methodLabel: "max |x| per 2×2", theme: .builtInDefault, depth: .colors256)
            .render(in: buffer.area, buffer: &buffer)
        assertSnapshot(buffer.ansiText(depth: .colors256), named: "heatmap-legend-256")
        #expect(buffer.textLines[1].hasPrefix("-0.5"))
        #expect(buffer.textLines[1].hasSuffix("+0.5"))
        #expect(buffer.textLines[1].contains(" 0 "))
        #expect(buffer.textLines[2] == "max |x| per 2×2")
        var mono = Buffer(width: 9, height: 2)
        HeatmapLegend(scale: 2, methodLabel: "", theme: .builtInDefault, depth: .none)
            .render(in: mono.area, buffer: &mono)
        #expect(mono.textLines == ["@#+: :+#@", "-2  0  +2"])
    }

    /// At 40 columns the labels ran together ("-0.49970 +0.4997"): each is drawn only where it touches no other.
    @Test func narrowLegendLabelsNeverRunTogether() {
        for (width, expected) in [(16, "-0.4997  +0.4997"), (17, "-0.4997 0 +0.4997"), (19, "-0.4997  0  +0.4997"),
                                  (14, "±0.4997"), (7, "±0.4997")] {
            var buffer = Buffer(width: width, height: 2)
            HeatmapLegend(scale: 0.4997, methodLabel: "", theme: .builtInDefault, depth: .none)
                .render(in: buffer.area, buffer: &buffer)
            #expect(buffer.textLines[1].trimmingCharacters(in: .whitespaces) == expected, "width \(width)")
        }
    }
}
