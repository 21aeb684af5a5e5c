/// A parsed JSON value. Object members stay in file order with their keys exactly as written: a vocabulary may hold
/// two keys that are canonically equivalent but different bytes, which a `[String: …]` dictionary would merge.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's text exactly as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// A short name of the value's kind for messages ("a string", "an array").
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The first member named `key` (tokenizer.json has no repeated keys outside vocabularies).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let keyBytes = Array(key.utf8)
        return members.first { $0.key.utf8.elementsEqual(keyBytes) }?.value
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
