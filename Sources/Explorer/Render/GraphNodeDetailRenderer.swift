import TerminalUI

/// Draws an ONNX graph node in the detail pane: its name and op, each input and output on two lines (the name,
/// then what the graph declares, what the last run gave it, and for a weight the gradient that came through this
/// node), its attributes; for a scope, its op counts.
struct GraphNodeDetailRenderer {
    var detail: GraphNodeDetailViewModel
    var theme: Theme
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        var y = rect.y
        func line(_ text: String, _ style: Style) { buffer.writeLine(text, style: style, in: rect, at: &y) }
        let dot = ascii ? " | " : " · "
        line(detail.title, theme.text.adding(.bold))
        line(ascii ? detail.facts.replacing(" · ", with: dot) : detail.facts, theme.dimText)
        if let message = detail.message {
            y += 1
            for text in ModuleDetailRenderer.wrap(message, width: rect.width) { line(text, theme.dimText) }
        }
        for (heading, values) in [("inputs", detail.inputs), ("outputs", detail.outputs)] where !values.isEmpty {
            y += 1
            line(heading, theme.text.adding(.bold))
            for value in values {
                guard !value.name.isEmpty else {
                    line("  (omitted)", theme.dimText)
                    continue
                }
                line("  " + value.name, theme.text)
                var facts: [String] = []
                // An initializer's type and shape are exact: no run can change them.
                if value.isInitializer {
                    facts.append("initializer " + (value.declared ?? "?"))
                } else {
                    if let declared = value.declared { facts.append("declared " + declared) }
                    if let seen = value.seen { facts.append("ran " + seen) }
                    if facts.isEmpty { facts.append("shape not declared: f runs the graph and shows it") }
                }
                if let gradient = value.gradientViaNode {
                    facts.append((ascii ? "grad via this node " : "∇ via this node ") + NumberFormat.short(gradient))
                }
                line("      " + facts.joined(separator: dot), theme.treeType)
            }
        }
        if !detail.attributes.isEmpty {
            y += 1
            line("attributes", theme.text.adding(.bold))
            for attribute in detail.attributes { line("  " + attribute, theme.text) }
        }
        if !detail.opCounts.isEmpty {
            y += 1
            line("ops", theme.text.adding(.bold))
            var current = ""
            for op in detail.opCounts {
                let candidate = current.isEmpty ? "  " + op : current + dot + op
                if DisplayWidth.of(candidate) > rect.width, !current.isEmpty {
                    line(current, theme.text)
                    current = "  " + op
                } else {
                    current = candidate
                }
            }
            if !current.isEmpty { line(current, theme.text) }
        }
    }
}
