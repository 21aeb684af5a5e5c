import TerminalUI

/// Draws the two header rows: the model and its totals on the first, training state and loss history on the
/// second.
struct HeaderRenderer {
    var header: HeaderViewModel
    var theme: Theme
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.header))
        guard rect.height > 0 else { return }
        renderModelLine(in: rect.row(0), buffer: &buffer)
        if rect.height > 1 { renderTrainingLine(in: rect.row(1), buffer: &buffer) }
    }

    private var separator: String { ascii ? " | " : " · " }

    /// Name and totals first, the source last: a narrow screen clips the path, not the numbers.
    private func renderModelLine(in line: Rect, buffer: inout Buffer) {
        let bold = theme.header.adding(.bold)
        var unsavedWidth = 0
        if header.hasUnsavedEdits {
            let marker = (ascii ? " [+] " : " ● ") + "unsaved "
            var style = theme.header.adding(.bold)
            style.fg = theme.error.fg
            unsavedWidth = DisplayWidth.of(marker)
            buffer.set(x: max(line.x, line.maxX - unsavedWidth), y: line.y, string: marker, style: style, clip: line)
        }
        let clip = Rect(x: line.x, y: line.y, width: max(0, line.width - unsavedWidth), height: 1)
        var x = buffer.set(x: line.x, y: line.y, string: " nnview ", style: bold, clip: clip)
        x = buffer.set(x: x, y: line.y, string: header.modelName, style: bold, clip: clip)
        var totals = separator + NumberFormat.count(header.totalParameterCount) + " params"
        if header.trainableParameterCount != header.totalParameterCount {
            totals += " (" + NumberFormat.count(header.trainableParameterCount) + " trainable)"
        }
        if header.uninitialisedParameterCount > 0 {
            totals += " + \(header.uninitialisedParameterCount) not initialised"
        }
        totals += separator + header.modeLabel
        x = buffer.set(x: x, y: line.y, string: totals, style: theme.header, clip: clip)
        if let signature = header.signature {
            let arrow = separator + "inputs " + signature.inputs + separator + "outputs " + signature.outputs
            x = buffer.set(x: x, y: line.y, string: arrow, style: theme.header, clip: clip)
        }
        var source = separator + header.source
        if let weights = header.weightsSource { source += " + " + weights }
        buffer.set(x: x, y: line.y, string: source, style: theme.header, clip: clip)
    }

    private func renderTrainingLine(in line: Rect, buffer: inout Buffer) {
        var x = line.x
        if let lossName = header.lossName {
            var loss = header.lastLoss.map { NumberFormat.short($0) } ?? "-"
            if header.lastLoss != nil && header.lastLossIsStale { loss += " (stale: f)" }
            x = buffer.set(x: x, y: line.y, string: " loss " + loss + " ", style: theme.header, clip: line)
            if !header.lossHistory.isEmpty {
                let width = min(16, header.lossHistory.count, max(0, line.maxX - x))
                let spark = Rect(x: x, y: line.y, width: width, height: 1)
                Sparkline(values: header.lossHistory, theme: sparklineTheme, ascii: ascii).render(in: spark, buffer: &buffer)
                x += width
            }
            var parts: [String] = []
            let shape = header.inputShape.map(ShapeText.of) ?? "none"
            if header.inputTokens == nil { parts.append("input " + shape) }
            parts.append("lr " + NumberFormat.short(header.learningRate))
            parts.append("loss fn " + lossName)
            parts.append("backward \(header.backwardPassesSinceZero)" + (ascii ? "x" : "×") + " since zero")
            // A transformer's tokens come last: a narrow screen clips them, not the numbers.
            if let summary = header.inputTokens { parts.append("input " + shape + " " + summary) }
            buffer.set(x: x, y: line.y, string: separator + parts.joined(separator: separator), style: theme.header,
                       clip: line)
        } else {
            buffer.set(x: x, y: line.y, string: " browsing a weights file: no forward or backward (open a .nn spec "
                       + "with --weights to run it)", style: theme.header, clip: line)
        }
    }

    /// The sparkline keeps the header's background instead of the pane's.
    private var sparklineTheme: Theme {
        var t = theme
        t.background = theme.header
        t.sparkline = theme.sparkline.withBackground(theme.header.bg)
        return t
    }
}

/// Shapes as people write them: `[8, 4]`, `[]` for a scalar, `?` for an unknown (lazy) dimension.
enum ShapeText {
    static func of(_ shape: [Int]) -> String {
        "[" + shape.map { $0 < 0 ? "?" : String($0) }.joined(separator: ", ") + "]"
    }
}
