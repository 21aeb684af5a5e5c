import TerminalUI

/// Draws the gradient flow: one line per parameterised module, its path, a bar on a log scale and the norm, with
/// `vanishing` or `exploding` beside it. Lines that do not fit are counted at the end.
struct GradientFlowPanel {
    var flow: GradientFlowViewModel
    var theme: Theme
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        var y = rect.y
        func line(_ text: String, _ style: Style) { buffer.writeLine(text, style: style, in: rect, at: &y) }
        let low = GradientFlowViewModel.lowestExponent, high = GradientFlowViewModel.highestExponent
        let norm = ascii ? "|grad|" : "‖grad‖", dots = ascii ? ".." : "…"
        line("gradient flow: \(norm) per layer, log 1e\(low)\(dots)1e\(high)", theme.text.adding(.bold))
        let ratios = flow.hasUpdateRatios
        if ratios {
            let lowRatio = GradientFlowViewModel.lowestRatioExponent, highRatio = GradientFlowViewModel.highestRatioExponent
            line("then \(ascii ? "|dw|/|w|" : "‖Δw‖/‖w‖") of the last update, log 1e\(lowRatio)\(dots)1e\(highRatio), "
                 + "\(referenceMark) 1e-3", theme.dimText)
        }
        let pathWidth = min(28, max(8, flow.layers.map { DisplayWidth.of($0.path) }.max() ?? 8))
        // With ratios the two bars share the width left beside the path and the two numbers.
        let barWidth = ratios ? max(4, min(24, (rect.width - pathWidth - 22) / 2)) : max(4, min(30, rect.width - pathWidth - 24))
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
            var text = "\(path) \(bar) \(NumberFormat.short(layer.norm))"
            if ratios {
                text += String(repeating: " ", count: max(0, 10 - NumberFormat.short(layer.norm).count))
                text += layer.updateRatio.map { ratioBar($0, width: barWidth) + " " + NumberFormat.short($0) }
                    ?? String(repeating: " ", count: barWidth) + " -"
            }
            line(text + mark, style)
        }
        if shown < flow.layers.count { line("\(flow.layers.count - shown) more layers (a taller pane shows them)", theme.dimText) }
    }

    /// The reference mark on the ratio bars (the 1e-3 rule of thumb).
    var referenceMark: String { ascii ? "!" : "┊" }

    /// A ratio's bar on its log scale, the reference cell marked where the bar does not reach it.
    func ratioBar(_ ratio: Float, width: Int) -> String {
        let filled = GradientFlowViewModel.ratioFilled(ratio, width: width)
        let reference = GradientFlowViewModel.referenceCell(width: width)
        return String((0 ..< width).map { cell -> Character in
            if cell < filled { return ascii ? "#" : "█" }
            if cell == reference { return Character(referenceMark) }
            return ascii ? "." : "·"
        })
    }
}
