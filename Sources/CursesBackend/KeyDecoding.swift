import TerminalUI

/// Turns what get_wch returns into `InputEvent`s.
enum KeyDecoding {
    /// A plain character code: control characters become keys, Ctrl-letters `.ctrl` (Ctrl-C included: raw
    /// mode delivers it as a key).
    static func event(forCharacter value: UInt32) -> InputEvent? {
        switch value {
        case 27: return .escape
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(UnicodeScalar(UInt8(value) + 96)))
        case 0..<32: return nil
        default:
            guard let scalar = UnicodeScalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A curses key code (KEY_UP …).
    static func event(forKeyCode code: Int32) -> InputEvent? {
        switch code {
        case Curses.Key.up: return .up
        case Curses.Key.down: return .down
        case Curses.Key.left: return .left
        case Curses.Key.right: return .right
        case Curses.Key.pageUp: return .pageUp
        case Curses.Key.pageDown: return .pageDown
        case Curses.Key.home: return .home
        case Curses.Key.end: return .end
        case Curses.Key.enter: return .enter
        case Curses.Key.backspace: return .backspace
        case Curses.Key.delete: return .delete
        case Curses.Key.backTab: return .backTab
        default: return nil
        }
    }
}
