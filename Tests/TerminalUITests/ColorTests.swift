import Testing
@testable import TerminalUI

@Suite struct ColorTests {
    @Test func rgbToNearest256() {
        #expect(Color.rgb(255, 0, 0).downgraded(to: .colors256) == .indexed(196))
        #expect(Color.rgb(0, 0, 0).downgraded(to: .colors256) == .indexed(16))
        #expect(Color.rgb(95, 135, 175).downgraded(to: .colors256) == .indexed(67))
        // Greys go to the grey ramp when it is closer than the cube.
        #expect(Color.rgb(128, 128, 128).downgraded(to: .colors256) == .indexed(244))
        #expect(Color.rgb(0x30, 0x30, 0x30).downgraded(to: .colors256) == .indexed(236))
    }

    @Test func downgradeTo8PicksTheNearestBasicColour() {
        #expect(Color.rgb(250, 10, 10).downgraded(to: .colors8) == .ansi(1))
        #expect(Color.rgb(10, 10, 230).downgraded(to: .colors8) == .ansi(4))
        #expect(Color.rgb(240, 240, 240).downgraded(to: .colors8) == .ansi(7))
        #expect(Color.indexed(196).downgraded(to: .colors8) == .ansi(1))
        #expect(Color.ansi(9).downgraded(to: .colors8) == .ansi(1))
        #expect(Color.ansi(3).downgraded(to: .colors8) == .ansi(3))
    }

    @Test func noneAndTrueColor() {
        #expect(Color.rgb(1, 2, 3).downgraded(to: .trueColor) == .rgb(1, 2, 3))
        #expect(Color.rgb(1, 2, 3).downgraded(to: .none) == .default)
        #expect(Color.ansi(2).downgraded(to: .none) == .default)
        #expect(Color.default.downgraded(to: .colors8) == .default)
        #expect(Color.indexed(100).downgraded(to: .colors256) == .indexed(100))
    }

    @Test func indexedPaletteRGB() throws {
        let cube = try #require(Color.indexed(16 + 36 * 5 + 6 * 2 + 1).rgbComponents)
        #expect(cube.r == 255 && cube.g == 135 && cube.b == 95)
        let grey = try #require(Color.indexed(255).rgbComponents)
        #expect(grey.r == 238 && grey.g == 238 && grey.b == 238)
    }

    @Test func mixingInterpolates() {
        #expect(Color.rgb(0, 0, 0).mixed(with: .rgb(200, 100, 50), 0.5) == .rgb(100, 50, 25))
        #expect(Color.rgb(0, 0, 0).mixed(with: .rgb(200, 100, 50), 2) == .rgb(200, 100, 50))
    }

    @Test func depthFromEnvironment() {
        #expect(ColorDepth.fromEnvironment(["NO_COLOR": "1", "COLORTERM": "truecolor"]) == ColorDepth.none)
        #expect(ColorDepth.fromEnvironment(["NO_COLOR": "", "COLORTERM": "truecolor"]) == .trueColor)
        #expect(ColorDepth.fromEnvironment(["COLORTERM": "24bit", "TERM": "xterm"]) == .trueColor)
        #expect(ColorDepth.fromEnvironment(["TERM": "tmux-256color"]) == .colors256)
        #expect(ColorDepth.fromEnvironment(["TERM": "xterm"]) == .colors8)
        #expect(ColorDepth.fromEnvironment([:]) == .colors8)
        #expect(ColorDepth.fromEnvironment(["TERM": "dumb"]) == ColorDepth.none)
        #expect(ColorDepth(name: "256") == .colors256)
        #expect(ColorDepth(name: "bogus") == nil)
        #expect(ColorDepth.none < .colors8 && .colors256 < .trueColor)
    }

    @Test func numberFormat() {
        #expect(NumberFormat.short(0.1234) == "0.1234")
        #expect(NumberFormat.short(-1.2e-5) == "-1.2e-05")
        #expect(NumberFormat.short(.nan) == "NaN")
        #expect(NumberFormat.short(.infinity) == "inf")
        #expect(NumberFormat.short(-.infinity) == "-inf")
        #expect(NumberFormat.short(0) == "0")
        #expect(NumberFormat.short(12345.6) == "1.235e+04")
        #expect(NumberFormat.count(1234567) == "1,234,567")
        #expect(NumberFormat.count(-12) == "-12")
    }
}
