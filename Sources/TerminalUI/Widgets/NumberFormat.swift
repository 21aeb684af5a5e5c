import Foundation

/// Compact number formatting for narrow panes.
public enum NumberFormat {
    /// Four significant digits, exponent when needed: `0.1234`, `-1.2e-05`, `1.235e+04`, `0`, `NaN`, `inf`, `-inf`.
    public static func short(_ x: Float) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        return String(format: "%.4g", Double(x))
    }

    /// The exact value (Float's shortest round-trip spelling, `0.123456789`), with the same spellings of the
    /// non-finite values as `short`: `NaN` (whatever its sign bit), `inf`, `-inf`. Every place that prints one
    /// value (cursor, status, prompts) uses this, so a NaN never reads `nan` in one place and `-nan` in another.
    public static func exact(_ x: Float) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// An English ordinal with thousands separators: `1st`, `2nd`, `3rd`, `4th`, `11th`–`13th`, `21st`, `1,002nd`.
    public static func ordinal(_ n: Int) -> String {
        let lastTwo = n.magnitude % 100, last = n.magnitude % 10
        let suffix: String
        if (11 ... 13).contains(lastTwo) { suffix = "th" }
        else if last == 1 { suffix = "st" }
        else if last == 2 { suffix = "nd" }
        else if last == 3 { suffix = "rd" }
        else { suffix = "th" }
        return count(n) + suffix
    }

    /// A count with thousands separators: `1,234,567`.
    public static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
