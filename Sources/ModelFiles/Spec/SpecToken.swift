/// One token of a .nn file.
public struct SpecToken: Equatable, Sendable {
    /// What kind of token this is, with its value.
    public enum Kind: Equatable, Sendable {
        /// A name: a layer, a variable or a keyword argument (`LazyLinear`, `shared`, `bias`).
        case identifier(String)
        /// An integer literal without sign (`8`).
        case integer(Int)
        /// A literal with a fraction or exponent (`0.5`, `1e-5`).
        case float(Double)
        /// A quoted string with escapes resolved.
        case string(String)
        /// `=`
        case equals
        /// `,`
        case comma
        /// `-` (only meaningful before a number)
        case minus
        /// `(`
        case leftParenthesis
        /// `)`
        case rightParenthesis
        /// `[`
        case leftBracket
        /// `]`
        case rightBracket
        /// The end of a statement: a line break outside parentheses and brackets.
        case newline
        /// The end of the file.
        case end
    }

    /// The token's kind and value.
    public var kind: Kind
    /// Where the token starts.
    public var location: SpecLocation
    /// Whether this is the first token on its line (lets the parser spot an unclosed parenthesis
    /// when the next statement begins inside it).
    public var startsLine: Bool

    /// A token of `kind` at `location`.
    public init(_ kind: Kind, at location: SpecLocation, startsLine: Bool = false) {
        self.kind = kind
        self.location = location
        self.startsLine = startsLine
    }

    /// How the token reads in an error message (`name 'relu'`, `')'`, `end of line`).
    public var spelling: String {
        switch kind {
        case .identifier(let name): return "name '\(name)'"
        case .integer(let value): return "number \(value)"
        case .float(let value): return "number \(value)"
        case .string(let value): return "string \"\(value)\""
        case .equals: return "'='"
        case .comma: return "','"
        case .minus: return "'-'"
        case .leftParenthesis: return "'('"
        case .rightParenthesis: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .newline: return "end of line"
        case .end: return "end of file"
        }
    }
}
