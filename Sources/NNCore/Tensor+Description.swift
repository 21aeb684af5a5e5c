/// PyTorch's print options (torch/_tensor_str.py defaults).
enum PrintOptions {
    static let precision = 4
    static let threshold = 1000
    static let edgeItems = 3
    static let lineWidth = 80
}

/// Chooses one number format for a whole tensor the way PyTorch's `_Formatter` does: integers as `1.`,
/// fixed `0.1234`, or scientific `1.2346e-05`, all padded to a common width.
struct ValueFormatter {
    var isBool: Bool
    var intMode = true
    var sciMode = false
    var maxWidth = 1

    init(values: [Float], isBool: Bool) {
        self.isBool = isBool
        if isBool {
            maxWidth = values.contains(0) ? 5 : 4
            if values.isEmpty { maxWidth = 1 }
            return
        }
        let finite = values.filter { $0.isFinite && $0 != 0 }.map { Double($0) }
        guard !finite.isEmpty else { return }
        let absolute = finite.map { Swift.abs($0) }
        let minAbs = absolute.min()!, maxAbs = absolute.max()!
        intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
        if intMode {
            if maxAbs / minAbs > 1000 || maxAbs > 1e8 {
                sciMode = true
                maxWidth = finite.map { formatDouble("%.\(PrintOptions.precision)e", $0).count }.max()!
            } else {
                maxWidth = finite.map { formatDouble("%.0f", $0).count + 1 }.max()!
            }
        } else if maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4 {
            sciMode = true
            maxWidth = finite.map { formatDouble("%.\(PrintOptions.precision)e", $0).count }.max()!
        } else {
            maxWidth = finite.map { formatDouble("%.\(PrintOptions.precision)f", $0).count }.max()!
        }
        maxWidth = Swift.max(maxWidth, 1)
    }

    func format(_ v: Float) -> String {
        var text: String
        if isBool {
            text = v != 0 ? "True" : "False"
        } else if v.isNaN {
            text = "nan"
        } else if v.isInfinite {
            text = v > 0 ? "inf" : "-inf"
        } else if sciMode {
            text = formatDouble("%.\(PrintOptions.precision)e", Double(v))
        } else if intMode {
            text = formatDouble("%.0f", Double(v)) + "."
        } else {
            text = formatDouble("%.\(PrintOptions.precision)f", Double(v))
        }
        let pad = maxWidth - text.count
        return pad > 0 ? String(repeating: " ", count: pad) + text : text
    }
}

extension Tensor: CustomStringConvertible {
    /// PyTorch's text for the tensor: `tensor([[ 0.1234, -0.5000]], grad_fn=<AddmmBackward0>)`.
    public var description: String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        var body: String
        let data = detach()
        if count == 0 {
            if rank != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + ")") }
            body = "[]"
        } else {
            let summarize = count > PrintOptions.threshold
            let shown = summarize ? data.summarizedValues() : data.toArray()
            let formatter = ValueFormatter(values: shown, isBool: dtype == .bool)
            body = data.formatted(indent: indent, summarize: summarize, formatter: formatter)
        }
        if let gradFn {
            suffixes.append("grad_fn=<\(gradFn.name)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return Tensor.addSuffixes(prefix + body, suffixes, indent: indent)
    }

    private static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var result = text
        let lastNewline = text.lastIndex(of: "\n")
        // Mirrors PyTorch: len(tensor_str) - tensor_str.rfind("\n") + 1, with rfind = -1 when absent.
        var lastLineLength = lastNewline.map { text.distance(from: $0, to: text.endIndex) + 1 } ?? text.count + 2
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > PrintOptions.lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                result += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return result + ")"
    }

    /// The values PyTorch's formatter sees when summarising: the first and last `edgeItems` along every dimension.
    private func summarizedValues() -> [Float] {
        if rank == 0 { return toArray() }
        let e = PrintOptions.edgeItems
        var parts: [Tensor] = []
        if shape[0] > 2 * e {
            for i in 0..<e { parts.append(rawSelect(i)) }
            for i in (shape[0] - e)..<shape[0] { parts.append(rawSelect(i)) }
        } else {
            for i in 0..<shape[0] { parts.append(rawSelect(i)) }
        }
        return parts.flatMap { $0.rank == 0 ? $0.toArray() : $0.summarizedValues() }
    }

    private func rawSelect(_ i: Int) -> Tensor {
        rawView(shape: Array(shape.dropFirst()), strides: Array(strides.dropFirst()), offset: offset + i * strides[0])
    }

    private func formatted(indent: Int, summarize: Bool, formatter: ValueFormatter) -> String {
        if rank == 0 { return formatter.format(base[0]) }
        let e = PrintOptions.edgeItems
        if rank == 1 {
            let values = toArray()
            var items: [String]
            if summarize && values.count > 2 * e {
                items = values.prefix(e).map(formatter.format) + [" ..."] + values.suffix(e).map(formatter.format)
            } else {
                items = values.map(formatter.format)
            }
            let perLine = Swift.max(1, (PrintOptions.lineWidth - indent) / (formatter.maxWidth + 2))
            var lines: [String] = []
            var start = 0
            while start < items.count {
                lines.append(items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", "))
                start += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        var slices: [String]
        if summarize && shape[0] > 2 * e {
            slices = (0..<e).map { rawSelect($0).formatted(indent: indent + 1, summarize: summarize, formatter: formatter) }
            slices.append("...")
            slices += ((shape[0] - e)..<shape[0]).map {
                rawSelect($0).formatted(indent: indent + 1, summarize: summarize, formatter: formatter)
            }
        } else {
            slices = (0..<shape[0]).map {
                rawSelect($0).formatted(indent: indent + 1, summarize: summarize, formatter: formatter)
            }
        }
        let separator = "," + String(repeating: "\n", count: rank - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}
