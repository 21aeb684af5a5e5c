extension Module {
    /// PyTorch's repr: `Sequential(\n  (0): Linear(in_features=20, out_features=256, bias=True)\n  ...\n)`.
    public var description: String {
        let extra = extraDescription
        guard !childEntries.isEmpty else {
            return "\(typeName)(\(extra))"
        }
        var lines: [String] = []
        if !extra.isEmpty {
            lines.append(contentsOf: extra.split(separator: "\n").map(String.init))
        }
        for (name, child) in childEntries {
            let childLines = child.description.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("(\(name)): " + childLines.joined(separator: "\n  "))
        }
        return "\(typeName)(\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n)"
    }
}
