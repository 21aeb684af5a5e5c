import Foundation

extension TensorDiff {
    /// The diff as text for people: one section per kind of difference, then a table of every common tensor.
    public func report(nameA: String, nameB: String) -> String {
        var lines: [String] = []
        for name in onlyInA { lines.append("only in \(nameA): \(name)") }
        for name in onlyInB { lines.append("only in \(nameB): \(name)") }
        for mismatch in mismatched { lines.append("shape differs: \(mismatch.name): \(mismatch.a) vs \(mismatch.b)") }
        for mismatch in typeDifferences { lines.append("dtype differs: \(mismatch.name): \(mismatch.a) vs \(mismatch.b)") }
        for tie in tieDifferences {
            func describe(_ names: [String]) -> String { names.isEmpty ? "not tied" : "tied with " + names.joined(separator: ", ") }
            lines.append("tie differs: \(tie.name): \(describe(tie.a)) in \(nameA), \(describe(tie.b)) in \(nameB)")
        }
        if !compared.isEmpty {
            var rows = [["Name", "Shape", "Max |a-b|", "Relative norm"]]
            for comparison in compared {
                rows.append([comparison.name, ModelSummary.shapeText(known: comparison.shape),
                             Self.number(comparison.maxAbsoluteDifference), Self.number(comparison.relativeNormDifference)])
            }
            if !lines.isEmpty { lines.append("") }
            lines += ModelSummary.aligned(rows)
        }
        let differing = compared.filter { !$0.isEqual }.count
        lines.append(isIdentical ? "identical: \(compared.count) tensors, same names, shapes, dtypes, ties and values"
            : "\(compared.count) common tensors, \(differing) with different values; \(onlyInA.count) only in \(nameA), "
            + "\(onlyInB.count) only in \(nameB), \(mismatched.count) shape and \(typeDifferences.count) dtype differences, "
            + "\(tieDifferences.count) tie differences")
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return "inf" }
        return String(format: "%.6g", value)
    }
}
