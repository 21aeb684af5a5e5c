import Testing
import TerminalUI
@testable import CursesBackend

/// The escape sequences xterm, tmux, screen, rxvt and the Linux console send are keys; unknown ones and Alt
/// combinations are nothing, never their letters (issue 15 §4).
@Suite struct EscapeSequenceTests {
    func decode(_ text: String) -> EscapeSequence.Outcome {
        var rest: [UInt32] = []
        for scalar in text.unicodeScalars {
            rest.append(scalar.value)
            if case .complete = EscapeSequence.decode(rest) { return EscapeSequence.decode(rest) }
        }
        return EscapeSequence.decode(rest)
    }

    @Test func homeAndEndInEverySpelling() {
        for end in ["[4~", "[8~", "[F", "OF", "[1;2F", "[4;5~"] { #expect(decode(end) == .complete(.end), "\(end)") }
        for home in ["[1~", "[7~", "[H", "OH", "[1;5H"] { #expect(decode(home) == .complete(.home), "\(home)") }
    }

    @Test func arrowsPagesDeleteAndBackTab() {
        #expect(decode("[A") == .complete(.up) && decode("OB") == .complete(.down))
        #expect(decode("[1;5C") == .complete(.right) && decode("OD") == .complete(.left))
        #expect(decode("[5~") == .complete(.pageUp) && decode("[6~") == .complete(.pageDown))
        #expect(decode("[3~") == .complete(.delete) && decode("[Z") == .complete(.backTab))
    }

    @Test func altLettersAndUnknownSequencesAreNothing() {
        #expect(decode("b") == .complete(nil), "Alt-b must not run a backward pass")
        #expect(decode("[") == .incomplete)
        #expect(decode("[99~") == .complete(nil))
        #expect(decode("[15~") == .complete(nil), "F5")
        #expect(decode("[[A") == .complete(nil), "Linux console F1")
        #expect(decode("OP") == .complete(nil), "F1")
        #expect(decode("[200~") == .complete(nil), "bracketed paste start")
    }
}
