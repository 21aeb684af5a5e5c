import Testing
@testable import TerminalUI

@Suite struct BufferTests {
    @Test func setWritesAndClipsAtTheRect() {
        var buffer = Buffer(width: 10, height: 2)
        let clip = Rect(x: 2, y: 0, width: 4, height: 1)
        let end = buffer.set(x: 0, y: 0, string: "abcdefgh", style: .plain, clip: clip)
        #expect(buffer.textLines == ["  cdef", ""])
        #expect(end == 6)
        buffer.set(x: 8, y: 1, string: "xyz", style: .plain)
        #expect(buffer.textLines[1] == "        xy")
        // Rows outside the clip are untouched.
        buffer.set(x: 0, y: 1, string: "q", style: .plain, clip: clip)
        #expect(buffer.textLines[1] == "        xy")
    }

    @Test func writeLineFillsTheRectTopDownAndStopsAtItsEnd() {
        var buffer = Buffer(width: 8, height: 4)
        let rect = Rect(x: 1, y: 1, width: 4, height: 2)
        var y = rect.y
        for text in ["first", "two", "three"] { buffer.writeLine(text, style: .plain, in: rect, at: &y) }
        #expect(buffer.textLines == ["", " firs", " two", ""])
        #expect(y == rect.maxY, "a line past the rect is dropped and does not move on")
    }

    @Test func wideCharactersTakeTwoCellsWithAContinuation() throws {
        var buffer = Buffer(width: 6, height: 1)
        let end = buffer.set(x: 0, y: 0, string: "日本x", style: .plain)
        #expect(end == 5)
        #expect(buffer.textLines == ["日本x"])
        #expect(try #require(buffer[1, 0]).isContinuation)
        #expect(try #require(buffer[3, 0]).isContinuation)
        #expect(try #require(buffer[4, 0]).symbol == "x")
    }

    @Test func wideCharacterAtTheClipEdgeBecomesASpace() {
        var buffer = Buffer(width: 5, height: 1)
        buffer.set(x: 0, y: 0, string: "ab日", style: .plain, clip: Rect(x: 0, y: 0, width: 3, height: 1))
        #expect(buffer.textLines == ["ab"])
        #expect(buffer[2, 0]?.isContinuation == false)
        #expect(buffer[3, 0]?.isContinuation == false)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = Buffer(width: 4, height: 1)
        buffer.set(x: 0, y: 0, string: "日x", style: .plain)
        buffer.set(x: 1, y: 0, string: "y", style: .plain)
        #expect(buffer.textLines == [" yx"])
        buffer.set(x: 0, y: 0, string: "本", style: .plain)
        buffer.set(x: 0, y: 0, string: "z", style: .plain)
        #expect(buffer.textLines == ["z x"])
        #expect(buffer[1, 0]?.isContinuation == false)
    }

    @Test func diffReportsOnlyChangedCells() {
        var before = Buffer(width: 20, height: 5)
        before.set(x: 0, y: 0, string: "hello world", style: .plain)
        var after = before
        #expect(after.diff(from: before).isEmpty)
        after.set(x: 6, y: 0, string: "W", style: .plain)
        after.set(x: 3, y: 4, string: "z", style: Style(fg: .ansi(1)))
        let changes = after.diff(from: before)
        #expect(changes.count == 2)
        #expect(changes[0].x == 6 && changes[0].y == 0 && changes[0].cell.symbol == "W")
        #expect(changes[1].x == 3 && changes[1].y == 4 && changes[1].cell.style.fg == .ansi(1))
        // A style-only change is a change too.
        var restyled = before
        restyled.setStyle(Rect(x: 0, y: 0, width: 1, height: 1), Style(attrs: .bold))
        #expect(restyled.diff(from: before).count == 1)
    }

    @Test func diffAgainstAnotherSizeIsEverything() {
        let small = Buffer(width: 2, height: 2)
        let big = Buffer(width: 3, height: 2)
        #expect(big.diff(from: small).count == 6)
    }

    @Test func diffSkipsContinuationCells() {
        let blank = Buffer(width: 4, height: 1)
        var wide = blank
        wide.set(x: 0, y: 0, string: "日", style: .plain)
        let changes = wide.diff(from: blank)
        #expect(changes.count == 1)
        #expect(changes[0].cell.symbol == "日")
    }

    @Test func fillAndAnsiText() {
        var buffer = Buffer(width: 3, height: 1)
        buffer.fill(Rect(x: 1, y: 0, width: 5, height: 1), with: Cell("#", style: Style(fg: .rgb(255, 0, 0), attrs: .bold)))
        #expect(buffer.textLines == [" ##"])
        #expect(buffer.ansiText(depth: .trueColor) == "\u{1B}[0m \u{1B}[0;1;38;2;255;0;0m##\u{1B}[0m")
        #expect(buffer.ansiText(depth: .colors256) == "\u{1B}[0m \u{1B}[0;1;38;5;196m##\u{1B}[0m")
        #expect(buffer.ansiText(depth: .colors8) == "\u{1B}[0m \u{1B}[0;1;31m##\u{1B}[0m")
        #expect(buffer.ansiText(depth: .none) == "\u{1B}[0m \u{1B}[0;1m##\u{1B}[0m")
    }

    @Test func layoutSplitsByFixedPercentAndFill() {
        let rect = Rect(x: 0, y: 0, width: 100, height: 10)
        let parts = rect.splitHorizontally([.fixed(10), .percent(30), .fill, .fill])
        #expect(parts.map(\.width) == [10, 30, 30, 30])
        #expect(parts.map(\.x) == [0, 10, 40, 70])
        let rows = rect.splitVertically([.fixed(1), .fill, .fixed(1)])
        #expect(rows.map(\.height) == [1, 8, 1])
        #expect(rows.map(\.y) == [0, 1, 9])
        // Fixed parts never exceed the whole.
        #expect(Rect(x: 0, y: 0, width: 5, height: 1).splitHorizontally([.fixed(4), .fixed(4)]).map(\.width) == [4, 1])
    }
}
