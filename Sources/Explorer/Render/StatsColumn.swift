import TerminalUI

/// The statistics block beside a heatmap (min, max, mean, std, norm, zeros, NaN, Inf) with a histogram under it.
/// With NaN or Inf among the values the first figures are NaN/inf as PyTorch gives them, and the same figures over
/// the finite values follow under "finite only" (the histogram is of those too).
struct StatsColumn {
    var stats: TensorStats?
    var histogram: HistogramViewModel?
    var theme: Theme
    var ascii: Bool

    func render(in rect: Rect, buffer: inout Buffer) {
        guard !rect.isEmpty, let stats else { return }
        var y = rect.y
        func line(_ label: String, _ value: String, style: Style? = nil) {
            guard y < rect.maxY else { return }
            let clip = rect.row(y - rect.y)
            buffer.set(x: rect.x, y: y, string: label, style: theme.dimText, clip: clip)
            buffer.set(x: rect.x + 6, y: y, string: value, style: style ?? theme.text, clip: clip)
            y += 1
        }
        func figure(_ label: String, _ value: Float) {
            line(label, NumberFormat.short(value), style: value.isFinite ? nil : theme.nonFinite)
        }
        figure("min", stats.min)
        figure("max", stats.max)
        figure("mean", stats.mean)
        figure("std", stats.std)
        figure("norm", stats.norm)
        line("zeros", NumberFormat.count(stats.zeros) + " of " + NumberFormat.count(stats.count))
        line("NaN", NumberFormat.count(stats.nanCount), style: stats.nanCount > 0 ? theme.nonFinite : nil)
        line("Inf", NumberFormat.count(stats.infCount), style: stats.infCount > 0 ? theme.nonFinite : nil)
        if stats.isSampled { line("", "(every " + NumberFormat.ordinal(stats.sampledRowStep) + " row)") }
        if let finite = stats.finite {
            guard y < rect.maxY else { return }
            let clip = rect.row(y - rect.y)
            let title = finite.count == 0 ? "finite only: none" : "finite only (" + NumberFormat.count(finite.count) + "):"
            buffer.set(x: rect.x, y: y, string: title, style: theme.dimText, clip: clip)
            y += 1
            if finite.count > 0 {
                figure("min", finite.min)
                figure("max", finite.max)
                figure("mean", finite.mean)
                figure("std", finite.std)
                figure("norm", finite.norm)
            }
        }
        guard let histogram, stats.finite.map({ $0.count > 0 }) ?? true, y + 3 <= rect.maxY else { return }
        y += 1
        let barsHeight = min(6, rect.maxY - y - 1)
        let bars = Rect(x: rect.x, y: y, width: min(rect.width, histogram.counts.count), height: barsHeight)
        Histogram(counts: histogram.counts, theme: theme, ascii: ascii).render(in: bars, buffer: &buffer)
        let labels = rect.row(bars.maxY - rect.y)
        let low = NumberFormat.short(histogram.min), high = NumberFormat.short(histogram.max)
        buffer.set(x: labels.x, y: labels.y, string: low, style: theme.dimText, clip: labels)
        buffer.set(x: max(labels.x + low.count + 1, bars.maxX - high.count), y: labels.y, string: high,
                   style: theme.dimText, clip: labels)
    }
}
