/// How many colours a terminal (or a snapshot) can show, richest first.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    /// No colour at all (NO_COLOR, monochrome): widgets use characters and attributes.
    case none = 0
    /// The 8 basic ANSI colours.
    case colors8 = 1
    /// The xterm 256-colour palette.
    case colors256 = 2
    /// 24-bit colour.
    case trueColor = 3

    /// Ordering by richness: `.none < .colors8 < .colors256 < .trueColor`.
    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The depth the environment asks for: `NO_COLOR` set (non-empty) → `.none`; `COLORTERM` truecolor/24bit →
    /// `.trueColor`; `TERM` containing "256color" → `.colors256`; `TERM` "dumb" → `.none`; otherwise `.colors8`.
    /// The curses backend and `nnview snapshot` both use this, so they agree.
    public static func fromEnvironment(_ environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        let term = (environment["TERM"] ?? "").lowercased()
        if term.contains("256color") { return .colors256 }
        if term == "dumb" { return .none }
        return .colors8
    }

    /// Parses a depth name as used on the command line and in themes: none, 8, 256, truecolor.
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "mono", "monochrome", "0": self = .none
        case "8", "colors8", "ansi": self = .colors8
        case "256", "colors256": self = .colors256
        case "truecolor", "24bit", "rgb": self = .trueColor
        default: return nil
        }
    }
}
