/// Summary statistics of a tensor's values, computed as PyTorch computes them: a NaN anywhere makes min, max,
/// mean, std and norm NaN; an Inf makes norm Inf, min/max ±Inf and the mean ±Inf (NaN with both signs). The same
/// figures over the finite values alone are in `finite`, present only when some value is not finite.
public struct TensorStats: Equatable, Sendable {
    /// Elements looked at.
    public var count: Int
    /// Smallest value (`torch.min`): NaN if any is NaN, NaN too for an empty tensor.
    public var min: Float
    /// Largest value (`torch.max`).
    public var max: Float
    /// Mean (`torch.mean`).
    public var mean: Float
    /// Population standard deviation (NaN when any value is not finite).
    public var std: Float
    /// L2 norm (`torch.linalg.norm` of the flattened tensor).
    public var norm: Float
    /// Elements equal to 0.
    public var zeros: Int
    /// NaN elements.
    public var nanCount: Int
    /// ±Inf elements.
    public var infCount: Int
    /// True when the tensor was too large (over a gigabyte of F32) and only every `sampledRowStep`-th row was read.
    public var isSampled: Bool
    /// Rows read: every one (1) or every k-th.
    public var sampledRowStep = 1
    /// The statistics of the finite values only; nil when every value is finite (they would repeat the above).
    public var finite: FiniteStats?

    /// Whether some value is NaN or ±Inf.
    public var hasNonFinite: Bool { nanCount > 0 || infCount > 0 }
}

/// Statistics over the finite values of a tensor that also holds NaN or ±Inf (labelled "finite only" on screen).
public struct FiniteStats: Equatable, Sendable {
    /// Finite elements.
    public var count: Int
    /// Smallest finite value (NaN when there is none).
    public var min: Float
    /// Largest finite value (NaN when there is none).
    public var max: Float
    /// Mean of the finite values (NaN when there is none).
    public var mean: Float
    /// Population standard deviation of the finite values (NaN when there is none).
    public var std: Float
    /// L2 norm of the finite values.
    public var norm: Float
}

/// A histogram of the finite values: `counts.count` equal bins from `min` to `max`.
public struct HistogramViewModel: Equatable, Sendable {
    /// Elements per bin.
    public var counts: [Int]
    /// The lower edge of the first bin.
    public var min: Float
    /// The upper edge of the last bin.
    public var max: Float
}
