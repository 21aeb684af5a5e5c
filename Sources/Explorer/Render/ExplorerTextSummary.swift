import TerminalUI

/// The model as plain text, for output that is not a terminal: the header facts and the tree rows as the explorer
/// shows them on opening (names and types, shapes and dtypes, counts, shared markers).
public enum ExplorerTextSummary {
    /// The summary, ending with a newline.
    public static func text(of state: ExplorerState) -> String {
        let header = state.header
        var out = "\(header.modelName) (\(header.source)\(header.weightsSource.map { " + " + $0 } ?? ""), "
            + "\(header.modeLabel)): \(NumberFormat.count(header.totalParameterCount)) params"
        if header.uninitialisedParameterCount > 0 {
            out += ", \(header.uninitialisedParameterCount) lazy parameters not initialised"
        }
        out += "\n"
        let tree = state.tree
        for index in 0..<tree.rowCount {
            let row = TreePaneRenderer.treeRow(tree.row(at: index), theme: .builtInDefault, ascii: false)
            var line = String(repeating: "  ", count: row.depth)
            if let marker = row.marker { line += marker + " " }
            line += row.text
            if let detail = row.detail, !detail.isEmpty { line += "  " + detail }
            let columns = row.columns.filter { !$0.isEmpty }
            if !columns.isEmpty { line += "  (" + columns.joined(separator: ", ") + ")" }
            out += line + "\n"
        }
        return out
    }
}
