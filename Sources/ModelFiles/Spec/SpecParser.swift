/// Turns a .nn source into a `SpecDocument`, checking syntax and names.
///
/// Grammar (newlines end statements only outside parentheses and brackets):
/// ```
/// document   := (statement? NEWLINE)* statement? END
/// statement  := NAME '=' expression
/// expression := call | NAME | '-'? NUMBER | BOOL | STRING | list
/// call       := NAME '(' (argument (',' argument)* ','?)? ')'
/// argument   := NAME '=' expression | expression       -- keyword arguments after positional ones
/// list       := '[' (expression (',' expression)* ','?)? ']'
/// ```
/// Names must be defined before they are used, once, and never in terms of themselves; a `model` statement is
/// required. A bare word on the right of `loss =` is the loss's name (`loss = mse`), not a reference.
public struct SpecParser {
    private let tokens: [SpecToken]
    private let file: String
    private let limits: SpecLimits
    private var index = 0
    private var depth = 0

    private init(tokens: [SpecToken], file: String, limits: SpecLimits) {
        self.tokens = tokens
        self.file = file
        self.limits = limits
    }

    /// Parses `source`; errors name `file` and the line and column of the problem.
    public static func parse(_ source: String, file: String = "<string>",
                             limits: SpecLimits = .standard) throws(SpecError) -> SpecDocument {
        let tokens = try SpecLexer.tokenize(source, file: file, limits: limits)
        var parser = SpecParser(tokens: tokens, file: file, limits: limits)
        let document = SpecDocument(file: file, statements: try parser.parseStatements())
        try SpecParser.checkNames(document, limits: limits)
        return document
    }

    // MARK: - Tokens

    private var current: SpecToken { tokens[index] }

    private mutating func advance() -> SpecToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(_ message: String, at location: SpecLocation) -> SpecError {
        SpecError(message, at: location, file: file)
    }

    // MARK: - Statements

    private mutating func parseStatements() throws(SpecError) -> [SpecStatement] {
        var statements: [SpecStatement] = []
        while true {
            switch current.kind {
            case .end:
                return statements
            case .newline:
                _ = advance()
                continue
            case .identifier(let name):
                let location = advance().location
                if name.contains(".") {
                    throw error("'\(name)' cannot be assigned: a statement's name is a plain name without dots",
                                at: location)
                }
                guard current.kind == .equals else {
                    throw error("expected '=' after '\(name)', found \(current.spelling)", at: current.location)
                }
                _ = advance()
                if current.kind == .newline || current.kind == .end {
                    throw error("expected a value after '\(name) =', found \(current.spelling)", at: current.location)
                }
                let value = try parseExpression()
                guard current.kind == .newline || current.kind == .end else {
                    if current.kind == .rightParenthesis || current.kind == .rightBracket {
                        throw error("unbalanced parenthesis: \(current.spelling) has no matching opening one",
                                    at: current.location)
                    }
                    throw error("expected the end of the line after the value of '\(name)', found \(current.spelling)",
                                at: current.location)
                }
                guard statements.count < limits.maxStatements else {
                    throw error("more than \(limits.maxStatements) statements", at: location)
                }
                statements.append(SpecStatement(name: name, location: location, value: value))
            case .rightParenthesis, .rightBracket:
                throw error("unbalanced parenthesis: \(current.spelling) has no matching opening one",
                            at: current.location)
            default:
                throw error("expected a statement 'NAME = value', found \(current.spelling)", at: current.location)
            }
        }
    }

    // MARK: - Expressions

    private mutating func parseExpression() throws(SpecError) -> SpecExpression {
        let token = current
        switch token.kind {
        case .identifier(let name):
            _ = advance()
            switch name {
            case "true", "True": return .bool(true, location: token.location)
            case "false", "False": return .bool(false, location: token.location)
            default: break
            }
            if current.kind == .leftParenthesis {
                return try parseCall(name: Self.withoutModulePath(name), location: token.location)
            }
            return .name(name, location: token.location)
        case .integer(let value):
            _ = advance()
            return .integer(value, location: token.location)
        case .float(let value):
            _ = advance()
            return .float(value, location: token.location)
        case .string(let value):
            _ = advance()
            return .string(value, location: token.location)
        case .minus:
            _ = advance()
            switch current.kind {
            case .integer(let value):
                _ = advance()
                // Int.min's magnitude is not an Int, so the lexer already refused it; negation cannot overflow.
                return .integer(-value, location: token.location)
            case .float(let value):
                _ = advance()
                return .float(-value, location: token.location)
            default:
                throw error("expected a number after '-', found \(current.spelling)", at: current.location)
            }
        case .leftBracket:
            return try parseList()
        case .leftParenthesis:
            return try parseParenthesized()
        case .rightParenthesis, .rightBracket:
            throw error("expected a value, found \(token.spelling)", at: token.location)
        default:
            throw error("expected a value, found \(token.spelling)", at: token.location)
        }
    }

    private mutating func enterNesting(at location: SpecLocation) throws(SpecError) {
        depth += 1
        guard depth <= limits.maxNestingDepth else {
            throw error("calls and lists are nested deeper than the limit of \(limits.maxNestingDepth)", at: location)
        }
    }

    private mutating func parseCall(name: String, location: SpecLocation) throws(SpecError) -> SpecExpression {
        let open = advance()
        try enterNesting(at: open.location)
        defer { depth -= 1 }
        var positional: [SpecExpression] = []
        var keyword: [SpecKeywordArgument] = []
        while true {
            if current.kind == .rightParenthesis {
                _ = advance()
                return .call(name: name, positional: positional, keyword: keyword, location: location)
            }
            try checkStillOpen(open, closer: "')'")
            if case .identifier(let word) = current.kind, tokens[index + 1].kind == .equals {
                let keywordToken = advance()
                _ = advance()
                if let first = keyword.first(where: { $0.name == word }) {
                    throw error("keyword argument '\(word)' is given twice (first at \(first.location))",
                                at: keywordToken.location)
                }
                try checkStillOpen(open, closer: "')'")
                let value = try parseExpression()
                keyword.append(SpecKeywordArgument(name: word, location: keywordToken.location, value: value))
            } else {
                let argumentLocation = current.location
                let value = try parseExpression()
                if let last = keyword.last {
                    throw error("positional argument after keyword argument '\(last.name)'", at: argumentLocation)
                }
                positional.append(value)
            }
            switch current.kind {
            case .comma:
                _ = advance()
            case .rightParenthesis:
                continue
            default:
                try checkStillOpen(open, closer: "')'")
                throw error("expected ',' or ')' in the arguments of \(name), found \(current.spelling)",
                            at: current.location)
            }
        }
    }

    private mutating func parseList() throws(SpecError) -> SpecExpression {
        let open = advance()
        try enterNesting(at: open.location)
        defer { depth -= 1 }
        var elements: [SpecExpression] = []
        while true {
            if current.kind == .rightBracket {
                _ = advance()
                return .list(elements, location: open.location)
            }
            try checkStillOpen(open, closer: "']'")
            elements.append(try parseExpression())
            switch current.kind {
            case .comma:
                _ = advance()
            case .rightBracket:
                continue
            default:
                try checkStillOpen(open, closer: "']'")
                throw error("expected ',' or ']' in a list, found \(current.spelling)", at: current.location)
            }
        }
    }

    /// `(value)` is the value itself; `(a,)`, `(a, b)` and `()` are tuples, which mean the same as lists
    /// (`LayerNorm((6,))`, `rand((2, 4))`).
    private mutating func parseParenthesized() throws(SpecError) -> SpecExpression {
        let open = advance()
        try enterNesting(at: open.location)
        defer { depth -= 1 }
        var elements: [SpecExpression] = []
        var sawComma = false
        while true {
            if current.kind == .rightParenthesis {
                _ = advance()
                if elements.count == 1, !sawComma { return elements[0] }
                return .list(elements, location: open.location)
            }
            try checkStillOpen(open, closer: "')'")
            elements.append(try parseExpression())
            switch current.kind {
            case .comma:
                sawComma = true
                _ = advance()
            case .rightParenthesis:
                continue
            default:
                try checkStillOpen(open, closer: "')'")
                throw error("expected ',' or ')' in a tuple, found \(current.spelling)", at: current.location)
            }
        }
    }

    /// `nn.Linear`, `torch.nn.Linear`, `torch.rand` and `collections.OrderedDict` name the same things as `Linear`,
    /// `rand` and `OrderedDict`; other dotted names are kept whole so the error names what was written.
    static func withoutModulePath(_ name: String) -> String {
        for prefix in ["torch.nn.", "nn.", "torch.", "collections."] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if !rest.contains(".") { return String(rest) }
        }
        return name
    }

    /// Inside parentheses line breaks are not statement ends, so a missing `)` shows up either as the end of the
    /// file or as the next statement (`NAME =` starting a line) read as an argument. Both are reported at the
    /// opening parenthesis, which is where the mistake is.
    private func checkStillOpen(_ open: SpecToken, closer: String) throws(SpecError) {
        let closed: Bool
        switch current.kind {
        case .end:
            closed = false
        case .identifier:
            closed = !(current.startsLine && tokens[index + 1].kind == .equals
                       && current.location.line > open.location.line && isStatementStartOutsideArguments())
        case .rightParenthesis where closer == "']'", .rightBracket where closer == "')'":
            throw error("expected \(closer) to close \(open.spelling) at \(open.location), found \(current.spelling)",
                        at: current.location)
        default:
            closed = true
        }
        if !closed {
            throw error("unbalanced parenthesis: \(open.spelling) is never closed", at: open.location)
        }
    }

    /// `NAME =` at the start of a line is a keyword argument only if the line before it ended with a comma
    /// or an opening parenthesis; otherwise it is the next statement.
    private func isStatementStartOutsideArguments() -> Bool {
        guard index > 0 else { return true }
        switch tokens[index - 1].kind {
        case .comma, .leftParenthesis, .leftBracket: return false
        default: return true
        }
    }

    // MARK: - Names

    /// Every name is defined once, before it is used, and not in terms of itself; `model` exists.
    private static func checkNames(_ document: SpecDocument, limits: SpecLimits) throws(SpecError) {
        var defined: [String: SpecLocation] = [:]
        let allDefinitions = Dictionary(document.statements.map { ($0.name, $0.location) },
                                        uniquingKeysWith: { first, _ in first })
        for statement in document.statements {
            if let first = defined[statement.name] {
                throw SpecError("'\(statement.name)' is defined twice (first at \(first)); "
                                + "use a new name, or reuse '\(statement.name)' to share the module",
                                at: statement.location, file: document.file)
            }
            if statement.name == SpecDocument.ReservedName.loss, case .name = statement.value {
                defined[statement.name] = statement.location
                continue
            }
            try visitNames(in: statement.value) { name, location throws(SpecError) in
                if name == statement.name {
                    throw SpecError("'\(name)' refers to itself in its own definition", at: location, file: document.file)
                }
                if defined[name] != nil { return }
                // PyTorch's None: a keyword set to it means the default (the builder drops it).
                if name == "None" { return }
                if let later = allDefinitions[name] {
                    throw SpecError("'\(name)' is used before it is defined (at \(later))", at: location,
                                    file: document.file)
                }
                var hint = SpecSuggestion.hint(for: name, among: defined.keys)
                if hint.isEmpty, name.first?.isUppercase == true {
                    hint = " (a layer is made by calling it: \(name)(…))"
                }
                throw SpecError("unknown name '\(name)'" + hint, at: location, file: document.file)
            }
            defined[statement.name] = statement.location
        }
        if defined[SpecDocument.ReservedName.model] == nil {
            let end = SpecLocation(line: (document.statements.last?.location.line ?? 0) + 1, column: 1)
            throw SpecError("expected a 'model = …' statement; this file defines no model", at: end,
                            file: document.file)
        }
    }

    /// Calls `visit` for every name reference in `expression`, in source order. Depth is bounded by the parser.
    private static func visitNames(in expression: SpecExpression,
                                   _ visit: (String, SpecLocation) throws(SpecError) -> Void) throws(SpecError) {
        switch expression {
        case .name(let name, let location):
            try visit(name, location)
        case .call(_, let positional, let keyword, _):
            for argument in positional { try visitNames(in: argument, visit) }
            for argument in keyword { try visitNames(in: argument.value, visit) }
        case .list(let elements, _):
            for element in elements { try visitNames(in: element, visit) }
        case .integer, .float, .bool, .string:
            break
        }
    }
}
