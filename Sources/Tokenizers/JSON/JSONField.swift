import FileFormats

/// A JSON value with the file it came from and its path in that file, so every type or range problem becomes a
/// `TokenizerError` naming both (`tokenizer.json: model.vocab["a"]: expected an integer, found a string`).
struct JSONField {
    let value: JSONValue
    let file: String
    /// Where the value sits under its parent; the path is spelled only when a message needs it, so listing a
    /// million merges does not format a million paths.
    private let location: Location

    private enum Location {
        case root
        case member(parentPath: String, key: String)
        case element(parentPath: String, index: Int)
        /// An entry of a map-like object (a vocabulary), spelled `parent["key"]`.
        case entry(parentPath: String, key: String)
    }

    init(value: JSONValue, file: String, path: String) {
        self.value = value
        self.file = file
        location = path.isEmpty ? .root : .member(parentPath: "", key: path)
    }

    private init(value: JSONValue, file: String, location: Location) {
        self.value = value
        self.file = file
        self.location = location
    }

    /// The JSON path, e.g. `model.vocab["a"]` or `model.merges[3]`.
    var path: String {
        switch location {
        case .root: return ""
        case let .member(parentPath, key): return parentPath.isEmpty ? key : "\(parentPath).\(key)"
        case let .element(parentPath, index): return "\(parentPath)[\(index)]"
        case let .entry(parentPath, key): return "\(parentPath)[\(Self.quoted(key))]"
        }
    }

    func error(_ problem: String) -> TokenizerError {
        TokenizerError(file: file, field: path.isEmpty ? "(top level)" : path, problem: problem)
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The number of elements of an array (without making a field for each).
    func arrayCount() throws(TokenizerError) -> Int {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.kind)") }
        return items.count
    }

    /// The member `key`, nil when it is absent or null.
    func optional(_ key: String) throws(TokenizerError) -> JSONField? {
        guard case .object = value else { throw error("expected an object, found \(value.kind)") }
        guard let member = value[key], !member.isNull else { return nil }
        return JSONField(value: member, file: file, location: .member(parentPath: path, key: key))
    }

    /// The member `key`; an error names it when absent.
    func required(_ key: String) throws(TokenizerError) -> JSONField {
        guard let member = try optional(key) else {
            throw TokenizerError(file: file, field: childPath(key), problem: "missing")
        }
        return member
    }

    func string() throws(TokenizerError) -> String {
        guard case .string(let text) = value else { throw error("expected a string, found \(value.kind)") }
        return text
    }

    func bool() throws(TokenizerError) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected true or false, found \(value.kind)") }
        return flag
    }

    /// A whole number in `range`.
    func integer(in range: ClosedRange<Int>) throws(TokenizerError) -> Int {
        guard case .number(let text) = value else { throw error("expected an integer, found \(value.kind)") }
        guard let number = Int(text) else {
            throw error("\(Self.shortened(text)) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        guard range.contains(number) else {
            throw error("\(number) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func array() throws(TokenizerError) -> [JSONField] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.kind)") }
        let parentPath = path
        return items.enumerated().map { JSONField(value: $1, file: file, location: .element(parentPath: parentPath, index: $0)) }
    }

    /// The members in file order, keys exactly as written.
    func members() throws(TokenizerError) -> [(key: String, field: JSONField)] {
        guard case .object(let members) = value else { throw error("expected an object, found \(value.kind)") }
        let parentPath = path
        return members.map { member in
            (member.key, JSONField(value: member.value, file: file, location: .entry(parentPath: parentPath, key: member.key)))
        }
    }

    func optionalBool(_ key: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        try optional(key)?.bool() ?? fallback
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        try optional(key)?.string()
    }

    /// A string for messages: quoted, long ones cut.
    static func quoted(_ text: String) -> String {
        "\"" + shortened(text) + "\""
    }

    static func shortened(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 40 else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(24))) + "… (\(scalars.count) characters)"
    }
}
