import NNCore

/// Statistics and histograms over a matrix source, sampling rows of very large tensors.
enum TensorStatistics {
    /// Elements read before rows are sampled.
    static let budget = 4_000_000
    static let bins = 20

    static func norm(of tensor: Tensor) -> Float {
        var sum: Double = 0
        for v in tensor.toArray() where v.isFinite { sum += Double(v) * Double(v) }
        return Float(sum.squareRoot())
    }

    static func rowsToRead(_ source: MatrixSource) -> (rows: [Int], sampled: Bool) {
        let total = source.rows.multipliedReportingOverflow(by: max(source.cols, 1))
        let step = total.overflow ? source.rows : max(1, total.partialValue / budget)
        return (Array(stride(from: 0, to: source.rows, by: step)), step > 1)
    }

    static func compute(_ source: MatrixSource) -> (TensorStats, HistogramViewModel)? {
        let (rows, sampled) = rowsToRead(source)
        var count = 0, zeros = 0, nans = 0, infs = 0, finite = 0
        var low = Float.infinity, high = -Float.infinity
        var sum: Double = 0, squares: Double = 0
        do {
            try source.forEachRow(rows) { _, values in
                for v in values {
                    count += 1
                    if v.isNaN { nans += 1; continue }
                    if v.isInfinite { infs += 1; continue }
                    if v == 0 { zeros += 1 }
                    finite += 1
                    low = Swift.min(low, v)
                    high = Swift.max(high, v)
                    sum += Double(v)
                    squares += Double(v) * Double(v)
                }
            }
        } catch {
            return nil
        }
        let mean = finite > 0 ? sum / Double(finite) : 0
        let variance = finite > 0 ? Swift.max(0, squares / Double(finite) - mean * mean) : 0
        if finite == 0 { low = 0; high = 0 }
        let stats = TensorStats(count: count, min: low, max: high, mean: Float(mean), std: Float(variance.squareRoot()),
                                norm: Float(squares.squareRoot()), zeros: zeros, nanCount: nans, infCount: infs,
                                isSampled: sampled)
        var counts = [Int](repeating: 0, count: bins)
        let width = high - low
        try? source.forEachRow(rows) { _, values in
            for v in values where v.isFinite {
                let bin = width > 0 ? Int(Double(v - low) / Double(width) * Double(bins)) : bins / 2
                counts[Swift.min(Swift.max(bin, 0), bins - 1)] += 1
            }
        }
        return (stats, HistogramViewModel(counts: counts, min: low, max: high))
    }
}
