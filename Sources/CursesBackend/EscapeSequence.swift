import TerminalUI

/// Decodes the escape sequences terminals send for keys curses did not recognise (xterm, tmux, screen, rxvt and
/// the Linux console spell Home and End four ways between them, and tmux with TERM=xterm-256color sends the
/// `screen` ones). What follows an ESC is collected until a sequence is complete; an unknown sequence, or ESC
/// plus one character (Alt-b), is nothing — never its letters, which would run commands (`[` lowers the learning
/// rate, `b` runs a backward pass).
enum EscapeSequence {
    /// Milliseconds to wait for each character after an ESC (a terminal sends a sequence in one write; a person
    /// pressing Escape then a key is far slower).
    static let followingCharacterDelay: Int32 = 50

    /// What the characters after an ESC amount to so far.
    enum Outcome: Equatable {
        /// Not complete yet: read another character (if one comes soon).
        case incomplete
        /// A complete sequence: its key, or nil for one nnview ignores.
        case complete(InputEvent?)
    }

    /// Decodes `rest`, the character codes that followed an ESC.
    static func decode(_ rest: [UInt32]) -> Outcome {
        guard let first = rest.first else { return .incomplete }
        switch first {
        case 0x5B:  // ESC [ : CSI, parameter bytes then a final byte 0x40–0x7E
            guard rest.count >= 2 else { return .incomplete }
            if rest[1] == 0x5B { return rest.count >= 3 ? .complete(nil) : .incomplete }  // ESC [ [ A: console F1
            let body = rest.dropFirst()
            let final = body.last!
            guard (0x40 ... 0x7E).contains(final) else { return body.count > 16 ? .complete(nil) : .incomplete }
            let parameters = String(decoding: body.dropLast().map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
            return .complete(csi(parameters: parameters, final: final))
        case 0x4F:  // ESC O : SS3, one character
            guard rest.count >= 2 else { return .incomplete }
            return .complete(ss3(rest[1]))
        default:
            // ESC + one character: Alt/Meta combinations nnview does not bind.
            return .complete(nil)
        }
    }

    private static func csi(parameters: String, final: UInt32) -> InputEvent? {
        // Modifiers (`1;5C` is Ctrl-Right) do not change which key it is.
        let first = parameters.split(separator: ";").first.map(String.init) ?? ""
        switch final {
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return .right
        case 0x44: return .left
        case 0x48: return .home  // ESC [ H
        case 0x46: return .end  // ESC [ F
        case 0x5A: return .backTab  // ESC [ Z
        case 0x7E:  // ESC [ n ~
            switch first {
            case "1", "7": return .home  // screen/tmux/Linux console; rxvt
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return nil
            }
        default: return nil
        }
    }

    private static func ss3(_ code: UInt32) -> InputEvent? {
        switch code {
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return .right
        case 0x44: return .left
        case 0x48: return .home
        case 0x46: return .end
        case 0x4D: return .enter  // keypad Enter
        default: return nil
        }
    }
}
