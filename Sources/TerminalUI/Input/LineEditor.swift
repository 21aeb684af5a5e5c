/// One line of text being typed, edited as a shell line is: Left/Right, Home/End (Ctrl-A/Ctrl-E), Backspace and
/// Delete, Ctrl-U (clear), Ctrl-W (the word before the cursor), Ctrl-K (to the end). A prefilled text is
/// "selected": the first character typed replaces it (as a dialog's default file name), any movement keeps it.
public struct LineEditor: Equatable, Sendable {
    /// The text.
    public private(set) var text: [Character]
    /// The cursor, 0...text.count.
    public private(set) var cursor: Int
    /// Whether the whole text is selected (the next character typed replaces it).
    public private(set) var isSelected: Bool

    /// An editor holding `text` with the cursor at its end; `selected` makes the first character typed replace it.
    public init(_ text: String = "", selected: Bool = false) {
        self.text = Array(text)
        cursor = self.text.count
        isSelected = selected && !text.isEmpty
    }

    /// The text as a string.
    public var string: String { String(text) }

    /// Applies an editing key; returns false for a key that is not an edit (Enter, Escape, Tab, …).
    @discardableResult
    public mutating func apply(_ event: InputEvent) -> Bool {
        let wasSelected = isSelected
        isSelected = false
        switch event {
        case .character(let c):
            if wasSelected { text = []; cursor = 0 }
            text.insert(c, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace:
            if wasSelected { text = []; cursor = 0 }
            else if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):
            if wasSelected { text = []; cursor = 0 }
            else if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"):
            text = []
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(cursor...)
        case .ctrl("w"):
            // The word before the cursor and the spaces after it, as readline's unix-word-rubout.
            var start = cursor
            while start > 0 && text[start - 1] == " " { start -= 1 }
            while start > 0 && text[start - 1] != " " && text[start - 1] != "/" { start -= 1 }
            if start == cursor, start > 0 { start -= 1 }  // a lone "/" goes on its own
            text.removeSubrange(start ..< cursor)
            cursor = start
        default:
            isSelected = wasSelected
            return false
        }
        return true
    }
}
