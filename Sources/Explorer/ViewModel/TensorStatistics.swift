import NNCore

/// Statistics and histograms over a matrix source: exact, by one streaming pass over every row (a mapped
/// 30522×384 F32 embedding is 11.7M elements, read in well under a second), and a second pass for the histogram.
/// Only a tensor beyond `exactBudget` elements (256 MB of F32; GPT-2's embedding is 38M) is read row-sampled,
/// down to about `sampleBudget` elements, and then says so on screen.
enum TensorStatistics {
    /// Elements read exactly.
    static let exactBudget = 64 << 20
    /// Elements a sampled pass reads (every k-th row).
    static let sampleBudget = 4_000_000
    static let bins = 20

    /// The L2 norm as PyTorch computes it: NaN when any element is NaN, inf when any is ±inf.
    static func norm(of tensor: Tensor) -> Float {
        var accumulator = StatisticsAccumulator()
        if tensor.isContiguous {
            try? tensor.withUnsafeBufferPointer { accumulator.add($0) }
        } else {
            accumulator.add(tensor.toArray())
        }
        return accumulator.norm
    }

    /// Every row, or every `step`-th row of a tensor beyond the budget (`step` 1: exact).
    static func rowsToRead(_ source: MatrixSource, budget: Int = exactBudget) -> (rows: StrideTo<Int>, step: Int) {
        let total = source.rows.multipliedReportingOverflow(by: max(source.cols, 1))
        let step = total.overflow ? source.rows
            : total.partialValue <= budget ? 1 : max(1, (total.partialValue + sampleBudget - 1) / sampleBudget)
        return (stride(from: 0, to: source.rows, by: step), step)
    }

    static func compute(_ source: MatrixSource, budget: Int = exactBudget) -> (TensorStats, HistogramViewModel)? {
        let (rows, step) = rowsToRead(source, budget: budget)
        var accumulator = StatisticsAccumulator()
        do {
            try source.forEachRow(rows) { _, values in accumulator.add(values) }
        } catch {
            return nil
        }
        var stats = accumulator.stats(isSampled: step > 1)
        stats.sampledRowStep = step
        // The histogram shows the finite values (a bin for NaN has no place on a number line).
        let finite = accumulator.finiteStats
        let low = finite.count > 0 ? finite.min : 0, high = finite.count > 0 ? finite.max : 0
        var counts = [Int](repeating: 0, count: bins)
        let width = high - low
        if finite.count > 0 {
            try? source.forEachRow(rows) { _, values in
                for v in values where v.isFinite {
                    let bin = width > 0 ? Int(Double(v - low) / Double(width) * Double(bins)) : bins / 2
                    counts[Swift.min(Swift.max(bin, 0), bins - 1)] += 1
                }
            }
        }
        return (stats, HistogramViewModel(counts: counts, min: low, max: high))
    }
}
