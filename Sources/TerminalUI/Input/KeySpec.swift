/// Parses key sequences written as text, as `nnview snapshot --keys "j j l b C-r Enter Tab PgDn"` takes them.
///
/// Tokens are separated by spaces. A single character is that character (`j`, `+`, `?`). Names (any case):
/// `Up Down Left Right PgUp PgDn (PageUp PageDown) Home End Enter (Return) Tab BackTab (S-Tab) Backspace (BS)
/// Delete (Del) Esc (Escape) Space`. `C-x` / `Ctrl-x` / `^x` is Ctrl plus a letter. `text:abc` types each
/// character of `abc` (and words after it that are no key: `text:two words`). `Click:X,Y`, `WheelUp:X,Y`, `WheelDown:X,Y` are mouse events; `Resize:WxH` a resize.
public enum KeySpec {
    /// Why a key spec could not be read.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        /// One-line explanation naming the bad token.
        public let description: String
    }

    static let names: [String: InputEvent] = [
        "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "pgdown": .pageDown,
        "home": .home, "end": .end, "enter": .enter, "return": .enter, "ret": .enter,
        "tab": .tab, "backtab": .backTab, "s-tab": .backTab, "shift-tab": .backTab,
        "backspace": .backspace, "bs": .backspace, "delete": .delete, "del": .delete,
        "esc": .escape, "escape": .escape, "space": .character(" "),
    ]

    /// The events the spec describes, in order.
    /// - Throws: `ParseError` naming the first token that is not a known key.
    ///
    /// Words after `text:abc` that are not keys themselves continue the text with a space, so
    /// `text:the quick fox Enter` types "the quick fox" (single characters and key names stay keys).
    public static func parse(_ spec: String) throws -> [InputEvent] {
        var events: [InputEvent] = []
        var typing = false
        for token in spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) {
            do {
                events += try parseToken(token)
                typing = token.lowercased().hasPrefix("text:")
            } catch where typing && token.count > 1 && !token.contains(":") {
                events += [.character(" ")] + token.map { .character($0) }
            }
        }
        return events
    }

    static func parseToken(_ token: String) throws -> [InputEvent] {
        if token.count == 1, let c = token.first { return [.character(c)] }
        let lower = token.lowercased()
        if let event = names[lower] { return [event] }
        if lower.hasPrefix("text:") { return token.dropFirst(5).map { .character($0) } }
        for prefix in ["c-", "ctrl-", "^"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            if rest.count == 1, let c = rest.first, c.isLetter, c.isASCII { return [.ctrl(c)] }
            throw ParseError(description: "unknown key '\(token)' in key spec: Ctrl takes one letter, e.g. C-r")
        }
        if let colon = lower.firstIndex(of: ":") {
            let kind = lower[..<colon]
            let args = lower[lower.index(after: colon)...]
            if kind == "resize" {
                let parts = args.split(separator: "x")
                if parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 0, h >= 0 {
                    return [.resize(width: w, height: h)]
                }
                throw ParseError(description: "bad resize '\(token)' in key spec: expected Resize:WIDTHxHEIGHT")
            }
            let parts = args.split(separator: ",")
            if parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]), x >= 0, y >= 0 {
                switch kind {
                case "click": return [.mouse(.click(x: x, y: y))]
                case "wheelup": return [.mouse(.wheelUp(x: x, y: y))]
                case "wheeldown": return [.mouse(.wheelDown(x: x, y: y))]
                default: break
                }
            }
        }
        throw ParseError(description:
            "unknown key '\(token)' in key spec (use a single character, C-x, text:abc, or one of: "
            + "Up Down Left Right PgUp PgDn Home End Enter Tab BackTab Backspace Delete Esc Space "
            + "Click:X,Y WheelUp:X,Y WheelDown:X,Y Resize:WxH)")
    }
}
