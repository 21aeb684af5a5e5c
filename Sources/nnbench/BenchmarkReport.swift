/// The results of one nnbench run, in the order measured, printed as `NAME<TAB>VALUE` lines or one JSON object.
///
/// A timed workload's line is `NAME<TAB>MEDIAN<TAB>MIN<TAB>SAMPLES` (microseconds, microseconds, runs): the first
/// two columns are what they always were, the spread follows. In JSON the median stays under NAME and the spread
/// is under `NAME_min_us` and `NAME_samples`.
struct BenchmarkReport {
    /// A value is a timing, a number (GFLOP/s, MiB) or a note such as "skipped (needs the explorer)".
    enum Value {
        case timing(Timing)
        case number(Double)
        case note(String)
    }

    private(set) var entries: [(name: String, value: Value)] = []

    mutating func add(_ name: String, _ timing: Timing) { entries.append((name, .timing(timing))) }
    mutating func add(_ name: String, _ value: Double) { entries.append((name, .number(value))) }
    mutating func note(_ name: String, _ text: String) { entries.append((name, .note(text))) }

    /// One tab-separated line per entry.
    func lines() -> String {
        entries.map { "\($0.name)\t\(Self.format($0.value))" }.joined(separator: "\n")
    }

    /// A JSON object in measurement order; notes are strings, numbers are numbers.
    func json() -> String {
        let fields = entries.flatMap { entry -> [String] in
            switch entry.value {
            case .timing(let timing):
                return ["  \"\(entry.name)\": \(Self.formatNumber(timing.median))",
                        "  \"\(entry.name)_min_us\": \(Self.formatNumber(timing.minimum))",
                        "  \"\(entry.name)_samples\": \(timing.samples)"]
            case .number(let value): return ["  \"\(entry.name)\": \(Self.formatNumber(value))"]
            case .note(let text): return ["  \"\(entry.name)\": \"\(text.replacingQuotes())\""]
            }
        }
        return "{\n" + fields.joined(separator: ",\n") + "\n}"
    }

    private static func format(_ value: Value) -> String {
        switch value {
        case .timing(let timing):
            return "\(formatNumber(timing.median))\t\(formatNumber(timing.minimum))\t\(timing.samples)"
        case .number(let number): return formatNumber(number)
        case .note(let text): return text
        }
    }

    private static func formatNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
