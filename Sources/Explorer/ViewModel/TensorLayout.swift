/// How a tensor of a given rank is shown.
public enum TensorLayout: Equatable, Sendable {
    /// A scalar: one number.
    case scalar
    /// A 1-d tensor: one strip row.
    case strip
    /// A 2-d tensor: a matrix.
    case matrix
    /// A ≥3-d tensor: the matrix of the last two dimensions at the chosen leading indices.
    case stacked
    /// A 4-d convolution kernel: a grid of kh × kw heatmaps, output channels down, input channels across.
    case kernelGrid
}
