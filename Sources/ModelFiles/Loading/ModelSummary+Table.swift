import ModulePaths

extension ModelSummary {
    /// The torchinfo-style text table: for a live model one row per module path (name indented by depth, type,
    /// output shape, own parameter count, shared marker, trainable); for a weights file the tree of its dotted
    /// names with dtype, shape and count. Totals at the end count each shared tensor once.
    public func table() -> String {
        var rows: [[String]] = []
        if isLive {
            rows.append(["Module", "Type", "Output shape", "Params", "Shared", "Trainable"])
            for module in modules {
                let label = String(repeating: "  ", count: module.depth) + (module.name.isEmpty ? "(model)" : lastSegment(module.name))
                let shared = module.sharedWith.isEmpty ? "" : "= " + module.sharedWith.joined(separator: ", ")
                let trainable = module.trainable.map { $0 ? "yes" : "no" } ?? "--"
                rows.append([label, module.type ?? "", module.outputShape.map { Self.shapeText(known: $0) } ?? "--",
                             module.parameterCount.map(Self.grouped) ?? "?", shared, trainable])
            }
        } else {
            rows.append(["Name", "Dtype", "Shape", "Count", "Shared"])
            let byName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let tree = DottedNameTree(names: parameters.map(\.name))
            // By path, not a search per folder: a file of 100k names would otherwise take quadratic time.
            let folders = Dictionary(modules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for node in tree.nodes {
                let label = String(repeating: "  ", count: node.depth) + node.segment
                if let leaf = node.leafIndex, let parameter = byName[parameters[leaf].name] {
                    rows.append([label, parameter.dtype, Self.shapeText(parameter.shape),
                                 parameter.count.map(Self.grouped) ?? "?",
                                 parameter.sharedWith.isEmpty ? "" : "= " + parameter.sharedWith.joined(separator: ", ")])
                } else {
                    let folder = folders[node.path]
                    rows.append([label, "", "", folder?.parameterCount.map(Self.grouped) ?? "", ""])
                }
            }
        }
        var lines = Self.aligned(rows)
        let rule = String(repeating: "─", count: lines.map(\.count).max() ?? 0)
        lines.insert(rule, at: 1)
        lines.append(rule)
        // A tied tensor is one tensor under several names: count it under its smallest name.
        let tensorCount = Set(parameters.map { ($0.sharedWith + [$0.name]).min() ?? $0.name }).count
        lines.append("Total parameters: \(Self.grouped(totalParameters)) in \(tensorCount) tensors"
            + (parameters.contains { !$0.sharedWith.isEmpty } ? " (each shared tensor counted once)" : ""))
        if isLive {
            lines.append("Trainable parameters: \(Self.grouped(trainableParameters))")
            lines.append("Non-trainable parameters: \(Self.grouped(totalParameters - trainableParameters))")
            if unknownCount > 0 {
                lines.append("Not yet initialised: \(unknownCount) lazy parameters (give the spec an input to size them)")
            }
            lines.append(inputShape.map { "Input: \(Self.shapeText(known: $0))" } ?? "Input: none (output shapes unknown)")
        } else {
            lines.append("Format: \(format)")
            if let onnx { lines += onnxTableLines(onnx) }
        }
        for (key, value) in metadata {
            let oneLine = value.split(whereSeparator: \.isNewline).joined(separator: " ")
            lines.append("  \(key): " + (oneLine.count > 100 ? String(oneLine.prefix(97)) + "..." : oneLine))
        }
        return lines.joined(separator: "\n")
    }

    private func lastSegment(_ path: String) -> String {
        ModulePath.leaf(path)
    }

    /// `[2, 8]`, with `?` for unknown dimensions.
    static func shapeText(_ shape: [Int?]) -> String {
        "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    }

    static func shapeText(known shape: [Int]) -> String { shapeText(shape.map { Optional($0) }) }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Pads each column to its widest cell (the last column is not padded).
    static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
