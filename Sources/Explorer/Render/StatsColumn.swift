import TerminalUI

/// The statistics block beside a heatmap (min, max, mean, std, norm, zeros, NaN, Inf) with a histogram under it.
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
        line("min", NumberFormat.short(stats.min))
        line("max", NumberFormat.short(stats.max))
        line("mean", NumberFormat.short(stats.mean))
        line("std", NumberFormat.short(stats.std))
        line("norm", NumberFormat.short(stats.norm))
        line("zeros", NumberFormat.count(stats.zeros) + " of " + NumberFormat.count(stats.count))
        line("NaN", NumberFormat.count(stats.nanCount), style: stats.nanCount > 0 ? theme.nonFinite : nil)
        line("Inf", NumberFormat.count(stats.infCount), style: stats.infCount > 0 ? theme.nonFinite : nil)
        if stats.isSampled { line("", "(sampled rows)") }
        guard let histogram, y + 3 <= rect.maxY else { return }
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
