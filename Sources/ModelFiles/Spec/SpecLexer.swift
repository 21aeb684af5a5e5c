/// Splits a .nn source into tokens with their line and column.
///
/// Line breaks end a statement only outside parentheses and brackets, so an expression may continue over
/// lines inside them. `#` starts a comment that runs to the end of the line.
public struct SpecLexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private let limits: SpecLimits
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Open parentheses and brackets; newlines inside them are not statement ends.
    private var openGroups = 0
    private var tokens: [SpecToken] = []
    private var lastTokenLine = 0

    private init(source: String, file: String = "<string>", limits: SpecLimits = .standard) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
        self.limits = limits
    }

    /// All tokens, ending with `.end`; throws `SpecError` on a character or literal that isn't valid.
    public static func tokenize(_ source: String, file: String = "<string>",
                                limits: SpecLimits = .standard) throws(SpecError) -> [SpecToken] {
        guard source.utf8.count <= limits.maxFileBytes else {
            throw SpecError("the file is \(source.utf8.count) bytes, more than the limit of \(limits.maxFileBytes)",
                            at: .start, file: file)
        }
        var lexer = SpecLexer(source: source, file: file, limits: limits)
        return try lexer.run()
    }

    private var location: SpecLocation { SpecLocation(line: line, column: index - lineStart + 1) }

    private func error(_ message: String, at location: SpecLocation) -> SpecError {
        SpecError(message, at: location, file: file)
    }

    private mutating func run() throws(SpecError) -> [SpecToken] {
        try checkLineLengths()
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                if openGroups == 0 { append(.newline, at: location) }
                index += 1
                line += 1
                lineStart = index
            case " ", "\t", "\r":
                index += 1
            case "#":
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            case "=": appendSingle(.equals)
            case ",": appendSingle(.comma)
            case "-": appendSingle(.minus)
            case "(", "[":
                openGroups += 1
                appendSingle(scalar == "(" ? .leftParenthesis : .leftBracket)
            case ")", "]":
                openGroups = max(0, openGroups - 1)
                appendSingle(scalar == ")" ? .rightParenthesis : .rightBracket)
            case "\"", "'":
                try lexString(quote: scalar)
            default:
                if Self.isDigit(scalar) || (scalar == "." && index + 1 < scalars.count && Self.isDigit(scalars[index + 1])) {
                    // `.5` is a float, as in Python.
                    try lexNumber()
                } else if Self.isIdentifierStart(scalar) {
                    lexIdentifier()
                } else {
                    throw error("unexpected character '\(Self.printable(scalar))'", at: location)
                }
            }
        }
        append(.end, at: location)
        return tokens
    }

    /// Checked up front so that no token, comment or string can make a line longer than the limit.
    private func checkLineLengths() throws(SpecError) {
        var currentLine = 1
        var length = 0
        for scalar in scalars {
            if scalar == "\n" {
                currentLine += 1
                length = 0
                continue
            }
            length += 1
            if length > limits.maxLineLength {
                throw error("line is longer than the limit of \(limits.maxLineLength) characters",
                            at: SpecLocation(line: currentLine, column: length))
            }
        }
    }

    private mutating func append(_ kind: SpecToken.Kind, at location: SpecLocation) {
        let startsLine = location.line != lastTokenLine
        lastTokenLine = location.line
        tokens.append(SpecToken(kind, at: location, startsLine: startsLine))
    }

    private mutating func appendSingle(_ kind: SpecToken.Kind) {
        append(kind, at: location)
        index += 1
    }

    private mutating func lexIdentifier() {
        let start = location
        var text = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            // A dot joins identifiers (`nn.Linear`, `torch.rand`): PyTorch users write the module path.
            let continuesDotted = scalar == "." && index + 1 < scalars.count && Self.isIdentifierStart(scalars[index + 1])
            guard Self.isIdentifierStart(scalar) || Self.isDigit(scalar) || continuesDotted else { break }
            text.append(scalar)
            index += 1
        }
        append(.identifier(String(text)), at: start)
    }

    private mutating func lexNumber() throws(SpecError) {
        let start = location
        var text = ""
        var isFloat = false
        func takeDigits() {
            while index < scalars.count, Self.isDigit(scalars[index]) || scalars[index] == "_" {
                if scalars[index] != "_" { text.unicodeScalars.append(scalars[index]) }
                index += 1
            }
        }
        takeDigits()
        if index + 1 < scalars.count, scalars[index] == ".", Self.isDigit(scalars[index + 1]) {
            isFloat = true
            text += text.isEmpty ? "0." : "."
            index += 1
            takeDigits()
        } else if index < scalars.count, scalars[index] == "." {
            // `1.` is a float too, as in Python.
            isFloat = true
            index += 1
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var lookahead = index + 1
            if lookahead < scalars.count, scalars[lookahead] == "+" || scalars[lookahead] == "-" { lookahead += 1 }
            if lookahead < scalars.count, Self.isDigit(scalars[lookahead]) {
                isFloat = true
                text += "e"
                index += 1
                if scalars[index] == "-" { text += "-" }
                if scalars[index] == "+" || scalars[index] == "-" { index += 1 }
                takeDigits()
            }
        }
        if index < scalars.count, Self.isIdentifierStart(scalars[index]) || scalars[index] == "." {
            var bad = String(text)
            while index < scalars.count, Self.isIdentifierStart(scalars[index]) || Self.isDigit(scalars[index])
                    || scalars[index] == "." {
                bad.unicodeScalars.append(scalars[index])
                index += 1
            }
            throw error("'\(bad)' is not a valid number", at: start)
        }
        if isFloat {
            guard let value = Double(text), value.isFinite else {
                throw error("number \(text) is too large", at: start)
            }
            append(.float(value), at: start)
        } else {
            guard let value = Int(text) else {
                throw error("integer \(text) is too large (the largest is \(Int.max))", at: start)
            }
            append(.integer(value), at: start)
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) throws(SpecError) {
        let start = location
        index += 1
        var text = String.UnicodeScalarView()
        while true {
            guard index < scalars.count, scalars[index] != "\n" else {
                throw error("string is not closed: expected \(quote) before the end of the line", at: start)
            }
            let scalar = scalars[index]
            if scalar == quote {
                index += 1
                break
            }
            if scalar == "\\" {
                guard index + 1 < scalars.count else {
                    throw error("string is not closed: expected \(quote) before the end of the file", at: start)
                }
                let escaped = scalars[index + 1]
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'": text.append(escaped)
                default:
                    throw error("unknown escape '\\\(Self.printable(escaped))' in string", at: location)
                }
                index += 2
                continue
            }
            text.append(scalar)
            index += 1
        }
        append(.string(String(text)), at: start)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    /// Control characters are shown escaped so an error message stays on one line.
    private static func printable(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
    }
}
