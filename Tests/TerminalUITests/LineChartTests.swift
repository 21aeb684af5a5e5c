import Testing
@testable import TerminalUI

/// The loss curve's line chart: dots placed between the series' lowest (bottom) and highest (top) value,
/// neighbouring columns joined, braille cells of 2 × 4 dots, `*` in ASCII.
@Suite struct LineChartTests {
    /// The grid as rows of `#` and `.`.
    static func picture(_ values: [Float], columns: Int, rows: Int) -> [String] {
        LineChart.dots(values: values, columns: columns, rows: rows).map { String($0.map { $0 ? "#" : "." }) }
    }

    @Test func aFallingSeriesRunsFromTopLeftToBottomRight() {
        #expect(Self.picture([4, 3, 2, 1], columns: 4, rows: 4) == ["#...", ".#..", "..#.", "...#"])
    }

    @Test func neighbouringColumnsAreJoinedByAVerticalRun() {
        // A drop from the top to the bottom row fills the column between.
        #expect(Self.picture([10, 0], columns: 2, rows: 4) == ["#.", ".#", ".#", ".#"])
    }

    @Test func aLongSeriesShowsEachColumnsLowestAndHighest() {
        // Eight values in two columns: each column spans its four values.
        let picture = Self.picture([0, 3, 1, 2, 3, 3, 3, 3], columns: 2, rows: 4)
        #expect(picture == ["##", "#.", "#.", "#."])
    }

    @Test func aShortSeriesIsInterpolatedAcrossTheWidth() {
        #expect(Self.picture([0, 6], columns: 7, rows: 7) == [
            "......#", ".....#.", "....#..", "...#...", "..#....", ".#.....", "#......",
        ])
    }

    @Test func aFlatSeriesIsAMiddleLineAndNonFiniteValuesAreGaps() {
        #expect(Self.picture([2, 2, 2], columns: 3, rows: 3) == ["...", "###", "..."])
        #expect(Self.picture([1, .nan, 1], columns: 3, rows: 3) == ["...", "#.#", "..."])
        #expect(Self.picture([], columns: 3, rows: 2) == ["...", "..."])
        #expect(Self.picture([.infinity], columns: 2, rows: 2) == ["..", ".."])
    }

    @Test func brailleCellsHoldTwoByFourDotsAndAsciiOneStarPerCell() {
        var buffer = Buffer(width: 2, height: 1)
        LineChart(values: [4, 3, 2, 1], style: Style(), ascii: false).render(in: buffer.area, buffer: &buffer)
        // Dots (0,0) (1,1) in the first cell: ⠑ = 0x2800 + 0x01 + 0x10; (2,2) (3,3) in the second: 0x04 + 0x80.
        #expect(buffer.text == "⠑⢄")
        var ascii = Buffer(width: 3, height: 3)
        LineChart(values: [3, 2, 1], style: Style(), ascii: true).render(in: ascii.area, buffer: &ascii)
        #expect(ascii.textLines == ["*", " *", "  *"])
    }
}
