import TerminalUI

/// Draws the gradient flow: one line per parameterised module, its path, a bar on a log scale and the norm, with
/// `vanishing` or `exploding` beside it. Lines that do not fit are counted at the end.
struct GradientFlowPanel {
    var flow: GradientFlowViewModel
    var theme: Theme
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        var y = rect.y
        func line(_ text: String, _ style: Style) {
            guard y < rect.maxY else { return }
            buffer.set(x: rect.x, y: y, string: text, style: style, clip: rect.row(y - rect.y))
            y += 1
        }
        let low = GradientFlowViewModel.lowestExponent, high = GradientFlowViewModel.highestExponent
        let norm = ascii ? "|grad|" : "‖grad‖", dots = ascii ? ".." : "…"
        line("gradient flow: \(norm) per layer, log 1e\(low)\(dots)1e\(high)", theme.text.adding(.bold))
        let pathWidth = min(28, max(8, flow.layers.map { DisplayWidth.of($0.path) }.max() ?? 8))
        let barWidth = max(4, min(30, rect.width - pathWidth - 24))
        let shown = min(flow.layers.count, max(0, rect.maxY - y - 1))
        for layer in flow.layers.prefix(shown) {
            let filled = GradientFlowViewModel.filled(layer.norm, width: barWidth)
            let bar = String(repeating: ascii ? "#" : "█", count: filled)
                + String(repeating: ascii ? "." : "·", count: barWidth - filled)
            var path = layer.path
            if DisplayWidth.of(path) > pathWidth { path = (ascii ? "~" : "…") + String(path.suffix(pathWidth - 1)) }
            path += String(repeating: " ", count: max(0, pathWidth - DisplayWidth.of(path)))
            let mark = layer.isExploding ? "  exploding" : layer.isVanishing ? "  vanishing" : ""
            var style = theme.text
            if !mark.isEmpty { style = theme.error }
            line("\(path) \(bar) \(NumberFormat.short(layer.norm))\(mark)", style)
        }
        if shown < flow.layers.count { line("\(flow.layers.count - shown) more layers (a taller pane shows them)", theme.dimText) }
    }
}
