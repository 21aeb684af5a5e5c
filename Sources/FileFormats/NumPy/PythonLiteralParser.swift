/// Parses the small Python literal subset a `.npy` header uses: a dict of string keys to strings, True/False,
/// integers and tuples (of integers), e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
enum PythonLiteralParser {
    indirect enum Value: Equatable, CustomStringConvertible {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case tuple([Value])
        case list([Value])

        var description: String {
            switch self {
            case .string(let text): return "'\(text)'"
            case .bool(let value): return value ? "True" : "False"
            case .integer(let value): return String(value)
            case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + ")"
            case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
            }
        }
    }

    static func parseDictionary(_ text: String) throws -> [String: Value] {
        var cursor = Cursor(characters: Array(text.unicodeScalars))
        cursor.skipSpace()
        try cursor.expect("{")
        var result: [String: Value] = [:]
        while true {
            cursor.skipSpace()
            if cursor.take("}") { break }
            guard case .string(let key) = try cursor.value(depth: 0) else { throw cursor.error("dictionary keys must be strings") }
            cursor.skipSpace()
            try cursor.expect(":")
            cursor.skipSpace()
            guard result.updateValue(try cursor.value(depth: 0), forKey: key) == nil else {
                throw cursor.error("key '\(key)' appears twice")
            }
            cursor.skipSpace()
            if cursor.take(",") { continue }
            try cursor.expect("}")
            break
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("unexpected text after the dictionary") }
        return result
    }

    struct Cursor {
        var characters: [Unicode.Scalar]
        var position = 0

        var atEnd: Bool { position >= characters.count }

        func error(_ message: String) -> ModelFileError {
            ModelFileError(".npy header: \(message) at character \(position)")
        }

        mutating func skipSpace() {
            while !atEnd, characters[position].properties.isWhitespace { position += 1 }
        }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard !atEnd, characters[position] == scalar else { return false }
            position += 1
            return true
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            guard take(scalar) else { throw error("expected '\(scalar)'") }
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < 8 else { throw error("nested too deeply") }
            guard !atEnd else { throw error("unexpected end") }
            let first = characters[position]
            switch first {
            case "'", "\"":
                position += 1
                var text = String.UnicodeScalarView()
                while !atEnd, characters[position] != first {
                    if characters[position] == "\\" { throw error("escapes in strings are not supported") }
                    text.append(characters[position])
                    position += 1
                }
                try expect(first)
                return .string(String(text))
            case "(", "[":
                position += 1
                let close: Unicode.Scalar = first == "(" ? ")" : "]"
                var items: [Value] = []
                while true {
                    skipSpace()
                    if take(close) { break }
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if take(",") { continue }
                    try expect(close)
                    break
                }
                return first == "(" ? .tuple(items) : .list(items)
            case "T", "F":
                let word = first == "T" ? "True" : "False"
                for scalar in word.unicodeScalars { try expect(scalar) }
                return .bool(first == "T")
            case "-", "0" ... "9":
                var digits = ""
                if take("-") { digits = "-" }
                while !atEnd, ("0" ... "9").contains(characters[position]) {
                    digits.unicodeScalars.append(characters[position])
                    position += 1
                }
                if !atEnd, characters[position] == "L" { position += 1 }  // Python 2 longs
                guard let number = Int(digits) else { throw error("invalid integer '\(digits)'") }
                return .integer(number)
            default:
                throw error("unexpected '\(first)'")
            }
        }
    }
}
