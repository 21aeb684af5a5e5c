/// Summary statistics of a tensor's values (finite values only for min/max/mean/std/norm).
public struct TensorStats: Equatable, Sendable {
    /// Elements looked at.
    public var count: Int
    /// Smallest finite value (0 when there is none).
    public var min: Float
    /// Largest finite value (0 when there is none).
    public var max: Float
    /// Mean of the finite values.
    public var mean: Float
    /// Population standard deviation of the finite values.
    public var std: Float
    /// L2 norm of the finite values.
    public var norm: Float
    /// Elements equal to 0.
    public var zeros: Int
    /// NaN elements.
    public var nanCount: Int
    /// ±Inf elements.
    public var infCount: Int
    /// True when the tensor was too large and only a sample of rows was looked at.
    public var isSampled: Bool
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
