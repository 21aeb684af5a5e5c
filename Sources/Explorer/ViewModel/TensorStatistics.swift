import NNCore

/// Statistics and histograms over a matrix source, sampling rows of very large tensors.
enum TensorStatistics {
    /// Elements read before rows are sampled.
    static let budget = 4_000_000
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

    static func rowsToRead(_ source: MatrixSource) -> (rows: [Int], sampled: Bool) {
        let total = source.rows.multipliedReportingOverflow(by: max(source.cols, 1))
        let step = total.overflow ? source.rows : max(1, total.partialValue / budget)
        return (Array(stride(from: 0, to: source.rows, by: step)), step > 1)
    }

    static func compute(_ source: MatrixSource) -> (TensorStats, HistogramViewModel)? {
        let (rows, sampled) = rowsToRead(source)
        var accumulator = StatisticsAccumulator()
        do {
            try source.forEachRow(rows) { _, values in accumulator.add(values) }
        } catch {
            return nil
        }
        let stats = accumulator.stats(isSampled: sampled)
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
