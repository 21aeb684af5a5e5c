import TerminalUI

/// Draws a module in the detail pane: every path it sits at, its summary and repr, the input and output shapes of
/// each call in the last forward pass, and a heatmap of the last output with its statistics.
struct ModuleDetailRenderer {
    var detail: ModuleDetailViewModel
    var theme: Theme
    var depth: ColorDepth
    var ascii: Bool

    /// Lines of the repr shown at most (the tree shows the rest).
    static let reprLines = 6

    /// Draws into the pane's inner area; returns the output heatmap's grid and screen rectangle.
    func render(in rect: Rect, buffer: inout Buffer) -> DrawnHeatmap? {
        var y = rect.y
        func line(_ text: String, _ style: Style) { buffer.writeLine(text, style: style, in: rect, at: &y) }
        let names = detail.names.isEmpty ? [detail.path] : detail.names
        let shownNames = names.map { $0.isEmpty ? "(root)" : $0 }.joined(separator: " = ")
        var namesStyle = theme.text.adding(.bold)
        if names.count > 1 { namesStyle.fg = theme.sharedMarkerColor(0) }
        line(shownNames + "  " + detail.summary, namesStyle)
        let dot = ascii ? " | " : " · "
        // Browse mode has no module types, only groups of tensors under a dotted prefix.
        let kind = detail.typeName.isEmpty ? "group of tensors" : "module " + detail.typeName
        var facts = [kind, NumberFormat.count(detail.parameterCount) + " params in subtree"]
        if names.count > 1 { facts.append("shared: \(names.count) uses") }
        line(facts.joined(separator: dot), theme.dimText)
        if !detail.predictions.isEmpty {
            y += 1
            line("what the model says (last f or b):", theme.text.adding(.bold))
            for text in detail.predictions { line(text, theme.text) }
        }
        if let image = detail.image, y + 3 < rect.maxY {
            y += 1
            line("the input as the network sees it (224×224 crop):", theme.text.adding(.bold))
            let area = Rect(x: rect.x, y: y, width: rect.width, height: min(rect.maxY - y, 16))
            ImagePanel(image: image, depth: depth, ascii: ascii).render(in: area, buffer: &buffer)
            y += ImagePanel.size(for: image, width: area.width, height: area.height).rows
        }
        let repr = detail.repr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if repr.count > 1 {
            y += 1
            for text in repr.prefix(ModuleDetailRenderer.reprLines) { line(text, theme.treeType) }
            if repr.count > ModuleDetailRenderer.reprLines { line(ascii ? "..." : "…", theme.dimText) }
        }
        y += 1
        if let message = detail.message {
            for text in ModuleDetailRenderer.wrap(message, width: rect.width) { line(text, theme.dimText) }
        }
        let arrow = ascii ? " -> " : " → "
        if !detail.calls.isEmpty {
            line("last forward:", theme.text.adding(.bold))
            for (i, call) in detail.calls.enumerated() {
                let inputs = call.inputShapes.map(ShapeText.of).joined(separator: ", ")
                let output = call.outputShape.map(ShapeText.of) ?? "failed"
                line("  call \(i + 1) at \(call.path.isEmpty ? "(root)" : call.path): in \(inputs)\(arrow)out \(output)",
                     theme.text)
            }
        }
        if let attention = detail.attention, y + 3 < rect.maxY {
            y += 1
            AttentionPanel(attention: attention, theme: theme, depth: depth, ascii: ascii)
                .render(in: Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y), buffer: &buffer)
            return nil
        }
        if let flow = detail.gradientFlow, y + 3 < rect.maxY {
            y += 1
            GradientFlowPanel(flow: flow, theme: theme, ascii: ascii)
                .render(in: Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y), buffer: &buffer)
            return nil
        }
        // A convolution's [N, C, H, W] output reads best as its grid of feature maps (below); any other output
        // is browsed like a tensor.
        if let output = detail.output, detail.featureMaps == nil, y + 3 < rect.maxY {
            y += 1
            let body = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
            return TensorDetailRenderer(detail: output, theme: theme, depth: depth, ascii: ascii).render(in: body, buffer: &buffer)
        }
        guard detail.outputGrid != nil, y + 2 < rect.maxY else { return nil }
        y += 1
        line(detail.featureMaps?.cursorText.map { "output: " + $0 } ?? "output of the last call", theme.text.adding(.bold))
        let body = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
        let hasSideColumn = body.width >= 44
        let statsWidth = hasSideColumn ? min(TensorDetailRenderer.statsWidth, body.width / 3) : 0
        let columns = body.splitHorizontally([.fill, .fixed(hasSideColumn ? 2 : 0), .fixed(statsWidth)])
        if hasSideColumn {
            StatsColumn(stats: detail.outputStats, histogram: nil, theme: theme, ascii: ascii)
                .render(in: columns[2], buffer: &buffer)
        }
        let capacity = HeatmapPanel.capacity(width: columns[0].width, height: columns[0].height, depth: depth, ascii: ascii)
        let grid = detail.heatmap(rows: capacity.rows, cols: capacity.cols)
        let drawn = HeatmapPanel(grid: grid, theme: theme, depth: depth, ascii: ascii).render(in: columns[0], buffer: &buffer)
        return DrawnHeatmap(grid: grid, rect: drawn.rect, capacity: capacity, upscale: drawn.upscale)
    }

    /// `text` broken at spaces into lines of at most `width` columns (a longer word gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0, DisplayWidth.of(text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
