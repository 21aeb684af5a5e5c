/// A parsed JSON value that keeps object keys in file order, exactly as written, and numbers as written.
///
/// Foundation's JSONSerialization loses key order and silently drops duplicate keys; safetensors headers need both
/// (duplicate tensor names are an error, metadata is shown in file order), and a tokenizer's vocabulary may hold two
/// keys that are canonically equivalent but different bytes, which a `[String: …]` dictionary would merge.
package enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text exactly as written (`"3"`, `"-1"`, `"2.5e3"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in file order; keys are unique unless the parser was asked to keep repeated ones.
    case object([(key: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// A short name of the value's kind for messages ("a string", "an array").
    package var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The first member named `key`, compared byte for byte (nil when not an object).
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let keyBytes = Array(key.utf8)
        return members.first { $0.key.utf8.elementsEqual(keyBytes) }?.value
    }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The number as a non-negative integer, or a reason it is not one.
    package func nonNegativeInteger() -> Result<Int, JSONIntegerProblem> {
        guard case .number(let text) = self else { return .failure(.notANumber(kind)) }
        if text.hasPrefix("-") { return .failure(.negative(text)) }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notAnInteger(text)) }
        guard let value = Int(text) else { return .failure(.tooLarge(text)) }
        return .success(value)
    }

    /// Renders the value back to compact JSON (for metadata shown as text).
    package var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return JSONWriter.quoted(text)
        case .array(let items): return "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONWriter.quoted($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        }
    }

    /// `self` when a string, else its compact JSON text.
    package var displayText: String {
        if case .string(let text) = self { return text }
        return compactText
    }
}

/// Why a JSON value is not a usable size or offset.
package enum JSONIntegerProblem: Error, CustomStringConvertible {
    case notANumber(String)
    case negative(String)
    case notAnInteger(String)
    case tooLarge(String)

    package var description: String {
        switch self {
        case .notANumber(let kind): return "expected a non-negative integer, found \(kind)"
        case .negative(let text): return "negative number \(Self.shortened(text))"
        case .notAnInteger(let text): return "\(Self.shortened(text)) is not an integer"
        case .tooLarge(let text): return "\(Self.shortened(text)) is too large"
        }
    }

    /// A number literal can be as long as the header; the message keeps its start and its length.
    static func shortened(_ text: String) -> String {
        text.count <= 40 ? text : "\(text.prefix(24))… (\(text.count) characters)"
    }
}

/// serde_json-compatible compact output: escapes `"`, `\`, and control characters only.
package enum JSONWriter {
    package static func quoted(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
