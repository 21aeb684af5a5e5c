/// A strict JSON parser over UTF-8 bytes (RFC 8259), bounded against hostile files: nesting depth and the number of
/// values are limited (so neither the stack nor memory grows without bound), strings must be valid UTF-8, lone
/// surrogates in `\u` escapes are refused (as serde_json does). Safetensors headers and config files refuse
/// repeated object keys; tokenizer vocabularies keep them (two keys may be canonically equivalent Unicode but
/// different bytes).
package struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var valueCount = 0
    private let maximumDepth: Int
    private let maximumValues: Int
    private let rejectsDuplicateKeys: Bool

    /// Parses `bytes` as exactly one JSON value (surrounding whitespace allowed); the error says what went wrong and
    /// at which byte.
    package static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = 64, maximumValues: Int = .max,
                              rejectsDuplicateKeys: Bool = true) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth, maximumValues: maximumValues,
                                rejectsDuplicateKeys: rejectsDuplicateKeys)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer, maximumDepth: Int, maximumValues: Int, rejectsDuplicateKeys: Bool) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.maximumValues = maximumValues
        self.rejectsDuplicateKeys = rejectsDuplicateKeys
    }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: position) }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard current == byte else {
            throw error(current == nil ? "unexpected end of JSON (truncated?)" : "expected \(what)")
        }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < maximumDepth else { throw error("nested more than \(maximumDepth) levels deep") }
        valueCount += 1
        guard valueCount <= maximumValues else { throw error("more than \(maximumValues) JSON values") }
        guard let byte = current else { throw error("unexpected end of JSON (truncated?)") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected byte 0x\(String(byte, radix: 16))")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard current == byte else { throw error("invalid literal, expected \(word)") }
            position += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw error(current == nil ? "unexpected end of JSON (truncated?)" : "expected a string key")
            }
            let keyStart = position
            let key = try parseString()
            if rejectsDuplicateKeys, !seen.insert(key).inserted {
                throw JSONSyntaxError(message: "duplicate key \"\(key)\"", offset: keyStart, duplicateKey: key)
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a key")
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return .object(members)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return .array(items)
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(first) else {
            throw error("invalid number")
        }
        if first == UInt8(ascii: "0") { position += 1 } else { skipDigits() }
        if current == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw error("invalid number: digits expected after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw error("invalid number: digits expected in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start ..< position]), as: UTF8.self)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = current, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        // Most strings have no escapes: validate the bytes in place.
        var end = position
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[position ..< end]), as: UTF8.self) else {
                throw error("string is not valid UTF-8")
            }
            position = end + 1
            return text
        }
        var decoded: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string (truncated?)") }
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return text
            }
            if byte < 0x20 { throw error("control character in a string") }
            position += 1
            if byte != UInt8(ascii: "\\") { decoded.append(byte); continue }
            guard let escape = current else { throw error("unterminated escape (truncated?)") }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800 ..< 0xDC00).contains(code) {
                    guard current == UInt8(ascii: "\\") else { throw error("lone surrogate in a \\u escape") }
                    position += 1
                    guard current == UInt8(ascii: "u") else { throw error("lone surrogate in a \\u escape") }
                    position += 1
                    let low = try parseHex4()
                    guard (0xDC00 ..< 0xE000).contains(low) else { throw error("lone surrogate in a \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("lone surrogate in a \\u escape") }
                decoded.append(contentsOf: String(scalar).utf8)
            default: throw error("invalid escape")
            }
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw error("invalid \\u escape") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// A JSON syntax problem and the byte offset where it was found.
package struct JSONSyntaxError: Error, CustomStringConvertible {
    package var message: String
    package var offset: Int
    /// Set when the problem is a repeated object key.
    package var duplicateKey: String?

    package var description: String { "\(message) at byte \(offset)" }
}
