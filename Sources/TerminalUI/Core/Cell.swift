/// One screen cell: a grapheme and its style. A wide grapheme (CJK, most emoji) occupies its cell and the next one,
/// which is then a continuation cell that draws nothing.
public struct Cell: Hashable, Sendable {
    /// The grapheme shown in this cell (one `Character` as a string; empty for a continuation cell).
    public var symbol: String
    /// Colours and attributes.
    public var style: Style
    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ symbol: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A blank cell with the given style.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", style: style) }
}

/// Display width of graphemes (0, 1 or 2 columns) without relying on the C locale, so tests and snapshots agree
/// with the terminal.
public enum DisplayWidth {
    /// Columns a grapheme takes in a terminal.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let v = first.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        // An emoji presentation selector makes the grapheme wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if isCombining(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// Columns a string takes.
    public static func of(_ string: String) -> Int {
        string.reduce(0) { $0 + of($1) }
    }

    static func isCombining(_ v: UInt32) -> Bool {
        (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || (0x20D0...0x20FF).contains(v)
            || (0xFE20...0xFE2F).contains(v)
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
