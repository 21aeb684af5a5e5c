/// Folds values into the counts and sums `TensorStats` needs, in one streaming pass over any number of rows.
/// Sums are kept in Double, so 10⁷ Float32 values add up without visible rounding.
struct StatisticsAccumulator {
    private(set) var count = 0
    private(set) var zeros = 0
    private(set) var nans = 0
    private(set) var positiveInfs = 0
    private(set) var negativeInfs = 0
    private(set) var finite = 0
    private(set) var low = Float.infinity
    private(set) var high = -Float.infinity
    private var sum: Double = 0
    private var squares: Double = 0

    mutating func add(_ values: UnsafeBufferPointer<Float>) {
        count += values.count
        for v in values {
            if v.isFinite {
                finite += 1
                if v == 0 { zeros += 1 }
                if v < low { low = v }
                if v > high { high = v }
                let d = Double(v)
                sum += d
                squares += d * d
            } else if v.isNaN {
                nans += 1
            } else if v > 0 {
                positiveInfs += 1
            } else {
                negativeInfs += 1
            }
        }
    }

    mutating func add(_ values: [Float]) {
        values.withUnsafeBufferPointer { add($0) }
    }

    /// The figures over the finite values (NaN where there are none: a min of nothing is not 0).
    var finiteStats: FiniteStats {
        guard finite > 0 else {
            return FiniteStats(count: 0, min: .nan, max: .nan, mean: .nan, std: .nan, norm: 0)
        }
        let mean = sum / Double(finite)
        let variance = Swift.max(0, squares / Double(finite) - mean * mean)
        return FiniteStats(count: finite, min: low, max: high, mean: Float(mean), std: Float(variance.squareRoot()),
                           norm: Float(squares.squareRoot()))
    }

    /// The L2 norm as PyTorch gives it: NaN with any NaN, inf with any inf, else over every value.
    var norm: Float {
        if nans > 0 { return .nan }
        if positiveInfs + negativeInfs > 0 { return .infinity }
        return Float(squares.squareRoot())
    }

    /// The statistics, NaN and Inf propagating as in PyTorch, with the finite-only figures beside them when
    /// they differ.
    func stats(isSampled: Bool) -> TensorStats {
        let f = finiteStats
        let min: Float, max: Float, mean: Float, std: Float
        if nans > 0 || count == 0 {
            (min, max, mean, std) = (.nan, .nan, .nan, .nan)
        } else {
            min = negativeInfs > 0 ? -.infinity : finite > 0 ? f.min : .infinity
            max = positiveInfs > 0 ? .infinity : finite > 0 ? f.max : -.infinity
            if positiveInfs > 0 && negativeInfs > 0 { mean = .nan }
            else if positiveInfs > 0 { mean = .infinity }
            else if negativeInfs > 0 { mean = -.infinity }
            else { mean = f.mean }
            std = positiveInfs + negativeInfs > 0 ? .nan : f.std
        }
        let nonFinite = nans + positiveInfs + negativeInfs
        return TensorStats(count: count, min: min, max: max, mean: mean, std: std, norm: norm, zeros: zeros,
                           nanCount: nans, infCount: positiveInfs + negativeInfs, isSampled: isSampled,
                           finite: nonFinite > 0 ? f : nil)
    }
}
