import Testing
import TerminalUI
@testable import Explorer

/// On the smallest supported screen (40×12) the help doesn't fit: it becomes one scrolled column whose title says
/// which lines show, j/k and the arrows scroll it, and any other key still closes it.
@Suite struct HelpScrollingTests {
    static func bindingLines(_ text: String, of bindings: [KeyBinding]) -> [Int] {
        bindings.indices.filter { text.contains(bindings[$0].description) }
    }

    @Test func everyHelpLineIsReachableAt40x12() throws {
        let harness = try RenderHarness(width: 40, height: 12)
        let bindings = harness.state.keymap.helpBindings
        var text = try harness.press("?")
        #expect(text.contains("Keys 1-10/\(bindings.count) · j/k more · ? closes"))
        var seen = Set(Self.bindingLines(text, of: bindings))
        #expect(seen == Set(0 ..< 10))
        // Every description is shown whole, not cut at a half-width column.
        for index in seen { #expect(text.contains(bindings[index].description)) }
        for _ in 0 ..< bindings.count {
            text = try harness.press("j")
            seen.formUnion(Self.bindingLines(text, of: bindings))
        }
        #expect(seen == Set(bindings.indices))
        // Scrolling stops at the last page, so one k moves back at once.
        #expect(text.contains("Keys \(bindings.count - 9)-\(bindings.count)/\(bindings.count)"))
        text = try harness.press("up")
        #expect(text.contains("Keys \(bindings.count - 10)-\(bindings.count - 1)/\(bindings.count)"))
        #expect(harness.state.mode == .help)
        try harness.press("x")
        #expect(harness.state.mode == .normal)
        text = try harness.press("?")
        #expect(text.contains("Keys 1-10/"), "reopening starts at the top")
    }

    @Test func aScreenWhereHelpFitsDoesNotScroll() throws {
        let harness = try RenderHarness(width: 120, height: 40)
        try harness.press("?")
        #expect(!harness.text.contains("j/k more"))
        try harness.press("j")
        #expect(harness.state.mode == .normal, "j closes a help that fits, as any key does")
    }
}
