/// Vertical bars, one per bin, scaled to the tallest, with eighth-block tops (▁…█) or ASCII (`#` full, `.`/`:`
/// partial).
public struct Histogram {
    /// Counts per bin, left to right.
    public var counts: [Int]
    /// Colours.
    public var theme: Theme
    /// ASCII-only output.
    public var ascii: Bool

    /// Creates a histogram.
    public init(counts: [Int], theme: Theme, ascii: Bool = false) {
        self.counts = counts
        self.theme = theme
        self.ascii = ascii
    }

    /// Counts the finite `values` into `binCount` equal bins between their min and max (non-finite values are
    /// skipped). Returns the counts and the range; all zero counts and range (0, 0) when nothing is finite.
    public static func bin(_ values: [Float], binCount: Int) -> (counts: [Int], min: Float, max: Float) {
        let bins = max(1, binCount)
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        var counts = [Int](repeating: 0, count: bins)
        guard lo <= hi else { return (counts, 0, 0) }
        let width = hi - lo
        for v in values where v.isFinite {
            let i = width > 0 ? Int(((v - lo) / width * Float(bins)).rounded(.down)) : bins / 2
            counts[Swift.min(bins - 1, Swift.max(0, i))] += 1
        }
        return (counts, lo, hi)
    }

    static let eighths: [String] = ["", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Draws the bars bottom-aligned in `rect`; bins beyond the width are clipped (re-bin to fit).
    public func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.background))
        guard !rect.isEmpty, let tallest = counts.max(), tallest > 0 else { return }
        let barWidth = Swift.max(1, rect.width / Swift.max(1, counts.count))
        for (bin, count) in counts.enumerated() {
            let x0 = rect.x + bin * barWidth
            if x0 >= rect.maxX { break }
            var levels = count * rect.height * 8 / tallest
            if count > 0 && levels == 0 { levels = 1 }
            for row in 0..<rect.height {
                let cellLevels = Swift.min(8, Swift.max(0, levels - row * 8))
                if cellLevels == 0 { break }
                let glyph = ascii ? (cellLevels == 8 ? "#" : cellLevels >= 4 ? ":" : ".") : Histogram.eighths[cellLevels]
                for x in x0..<Swift.min(rect.maxX, x0 + barWidth) {
                    buffer.setCell(x: x, y: rect.maxY - 1 - row, Cell(glyph, style: theme.histogram))
                }
            }
        }
    }
}
