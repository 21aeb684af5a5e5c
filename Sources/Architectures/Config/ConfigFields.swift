import ModelFiles

/// Typed, bounded reads of a model's configuration fields (config.json flattened to dotted keys, or GGUF
/// metadata), each failure one line naming the file and the field. Nothing is allocated from a value before it
/// passed its bounds.
struct ConfigFields {
    /// The file the fields came from, for messages.
    let file: String
    private let values: [String: String]

    init(file: String, pairs: [(key: String, value: String)]) {
        self.file = file
        var values: [String: String] = [:]
        for (key, value) in pairs where values[key] == nil && value != "null" { values[key] = value }
        self.values = values
    }

    func error(_ field: String, _ problem: String) -> ModelFileError {
        ModelFileError("\(field): \(problem)", file: file)
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    func string(_ key: String) -> String? { values[key] }

    /// An integer field in `range`; `defaultValue` when absent (an error when there is none).
    func integer(_ key: String, _ range: ClosedRange<Int>, default defaultValue: Int? = nil) throws -> Int {
        guard let text = values[key] else {
            if let defaultValue { return defaultValue }
            throw error(key, "missing")
        }
        // JSON writes whole numbers of float fields as 32.0 too.
        let value: Int
        if let integer = Int(text) {
            value = integer
        } else if let real = Double(text), real == real.rounded(), abs(real) < 1e15 {
            value = Int(real)
        } else {
            throw error(key, "\(text.prefix(40)) is not an integer")
        }
        guard range.contains(value) else {
            throw error(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// A finite real field in `range`; `defaultValue` when absent.
    func real(_ key: String, _ range: ClosedRange<Double>, default defaultValue: Double? = nil) throws -> Double {
        guard let text = values[key] else {
            if let defaultValue { return defaultValue }
            throw error(key, "missing")
        }
        guard let value = Double(text), value.isFinite else { throw error(key, "\(text.prefix(40)) is not a number") }
        guard range.contains(value) else { throw error(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    /// A boolean field; `defaultValue` when absent.
    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = values[key] else { return defaultValue }
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(key, "\(text.prefix(40)) is not true or false")
        }
    }
}
