import Foundation
import TerminalUI

/// The training strip (`T`), drawn across the bottom of the panes while a run goes and after it until the next
/// key: a progress bar, the loss curve (braille; `*` in ASCII) with the highest and lowest loss on its left, the
/// x axis spanning the steps asked for so the curve grows to the right, and the first, last and lowest loss below.
struct TrainingPanel {
    var training: TrainingViewModel
    var theme: Theme
    var ascii: Bool

    /// Where the strip goes: the lower part of the panes (at most 11 rows, at least 4), above the status line.
    static func rect(in layout: ExplorerLayout) -> Rect {
        let top = layout.header.maxY, bottom = layout.status.y
        let body = max(0, bottom - top)
        let height = min(body, max(4, min(11, body / 2)))
        return Rect(x: layout.screen.x, y: bottom - height, width: layout.screen.width, height: height)
    }

    func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.text))
        let inner = Box(title: "Training", theme: theme, ascii: ascii, isFocused: training.isRunning)
            .render(in: rect, buffer: &buffer).inset(dx: 1, dy: 0)
        guard inner.width > 0, inner.height > 0 else { return }
        var y = inner.y
        func line(_ text: String, _ style: Style) {
            guard y < inner.maxY else { return }
            buffer.set(x: inner.x, y: y, string: text, style: style, clip: inner.row(y - inner.y))
            y += 1
        }
        line(progressLine(width: inner.width), theme.text.adding(.bold))
        let chartHeight = inner.maxY - y - 1
        if chartHeight >= 1 {
            renderChart(in: Rect(x: inner.x, y: y, width: inner.width, height: chartHeight), buffer: &buffer)
            y += chartHeight
        }
        line(summaryLine(), theme.text)
    }

    /// `training: step 7 of 20 [██████░░░░░░] 35% · lr 0.01 · 12 ms/step · ~1 s left · Esc stops`.
    func progressLine(width: Int) -> String {
        let dot = ascii ? " | " : " · "
        let percent = "\(Int((training.progress * 100).rounded(.down)))%"
        var times = training.stepSeconds.map { dot + Self.duration($0) + "/step" } ?? ""
        if let left = training.remainingSeconds { times += dot + "~" + Self.duration(left) + " left" }
        let tail = dot + "lr \(NumberFormat.short(training.learningRate))" + times
            + (training.isRunning ? dot + "Esc stops" : training.isUndoable ? dot + "u undoes the run" : "")
        let barWidth = max(0, min(30, width - DisplayWidth.of(training.headline) - DisplayWidth.of(tail) - 6 - percent.count))
        guard barWidth >= 4 else { return training.headline + " " + percent + tail }
        let filled = Int((training.progress * Double(barWidth)).rounded(.down))
        let bar = String(repeating: ascii ? "#" : "█", count: filled)
            + String(repeating: ascii ? "." : "░", count: barWidth - filled)
        return training.headline + " [" + bar + "] " + percent + tail
    }

    /// `0.42 ms`, `12 ms`, `1.3 s`, `42 s`, `7 min`, `2.5 h`.
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<0.001: return String(format: "%.2f ms", seconds * 1000)
        case ..<0.01: return String(format: "%.1f ms", seconds * 1000)
        case ..<1: return String(format: "%.0f ms", seconds * 1000)
        case ..<10: return String(format: "%.1f s", seconds)
        case ..<120: return String(format: "%.0f s", seconds)
        case ..<7200: return String(format: "%.0f min", seconds / 60)
        default: return String(format: "%.1f h", seconds / 3600)
        }
    }

    /// `first 2.301 · last 0.1234 · min 0.1 at step 17`, or what happens before the first step.
    func summaryLine() -> String {
        guard let first = training.losses.first, let last = training.losses.last else {
            return training.isRunning ? "the first step is running…" : "no step ran"
        }
        let dot = ascii ? " | " : " · "
        var text = "loss: first \(NumberFormat.short(first))" + dot + "last \(NumberFormat.short(last))"
        if let minimum = training.minimum { text += dot + "min \(NumberFormat.short(minimum.loss)) at step \(minimum.step)" }
        return text
    }

    /// The curve, its highest loss labelled on the top row and its lowest on the bottom row; the x axis spans
    /// the steps asked for.
    func renderChart(in rect: Rect, buffer: inout Buffer) {
        guard let range = LineChart.range(of: training.losses) else { return }
        let labels = [NumberFormat.short(range.high), NumberFormat.short(range.low)]
        let labelWidth = (labels.map(DisplayWidth.of).max() ?? 0) + 1
        let axis = ascii ? "|" : "┤"
        func label(_ text: String) -> String {
            text + String(repeating: " ", count: max(0, labelWidth - 1 - DisplayWidth.of(text))) + axis
        }
        buffer.set(x: rect.x, y: rect.y, string: label(labels[0]), style: theme.dimText, clip: rect.row(0))
        if rect.height > 1 {
            buffer.set(x: rect.x, y: rect.maxY - 1,
                       string: label(labels[1]), style: theme.dimText, clip: rect.row(rect.height - 1))
            for row in 1 ..< rect.height - 1 {
                buffer.set(x: rect.x + labelWidth - 1, y: rect.y + row, string: ascii ? "|" : "│", style: theme.dimText,
                           clip: rect.row(row))
            }
        }
        let plotWidth = max(0, rect.width - labelWidth)
        let shownWidth = training.targetSteps > 0
            ? max(1, Int((Double(plotWidth) * Double(training.done) / Double(training.targetSteps)).rounded(.up)))
            : plotWidth
        var style = theme.text
        style.fg = theme.sparkline.fg
        LineChart(values: training.losses, style: style, ascii: ascii)
            .render(in: Rect(x: rect.x + labelWidth, y: rect.y, width: min(plotWidth, shownWidth), height: rect.height),
                     buffer: &buffer)
    }
}
