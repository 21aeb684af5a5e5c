/// The value on the right of `NAME = …` in a .nn file.
public indirect enum SpecExpression: Equatable, Sendable {
    /// `Callee(positional…, keyword=value…)`: a layer, a model or a tensor maker such as `rand`.
    /// Keyword arguments keep their written order (`Sequential(hidden=…, out=…)` names children in that order).
    case call(name: String, positional: [SpecExpression], keyword: [SpecKeywordArgument], location: SpecLocation)
    /// A reference to a name defined by an earlier statement (the same module instance, not a copy).
    case name(String, location: SpecLocation)
    /// An integer, possibly negative.
    case integer(Int, location: SpecLocation)
    /// A number with a fraction or exponent, possibly negative.
    case float(Double, location: SpecLocation)
    /// `true`/`false` (also `True`/`False`).
    case bool(Bool, location: SpecLocation)
    /// A quoted string.
    case string(String, location: SpecLocation)
    /// `[a, b, …]`, e.g. class indices for a cross-entropy target.
    case list([SpecExpression], location: SpecLocation)

    /// Where the expression starts.
    public var location: SpecLocation {
        switch self {
        case .call(_, _, _, let location), .name(_, let location), .integer(_, let location),
             .float(_, let location), .bool(_, let location), .string(_, let location), .list(_, let location):
            return location
        }
    }

    /// How the expression's kind reads in an error message (`a call to Linear`, `the name shared`, `an integer`).
    public var kindDescription: String {
        switch self {
        case .call(let name, _, _, _): return "a call to \(name)"
        case .name(let name, _): return "the name \(name)"
        case .integer: return "an integer"
        case .float: return "a number with a fraction"
        case .bool: return "a boolean"
        case .string: return "a string"
        case .list: return "a list"
        }
    }
}

/// `name=value` inside a call.
public struct SpecKeywordArgument: Equatable, Sendable {
    /// The keyword.
    public var name: String
    /// Where the keyword is written.
    public var location: SpecLocation
    /// Its value.
    public var value: SpecExpression

    /// A keyword argument `name=value` written at `location`.
    public init(name: String, location: SpecLocation, value: SpecExpression) {
        self.name = name
        self.location = location
        self.value = value
    }
}
