/// Limits on what reading a file may allocate, checked before any allocation.
public enum TensorLimits {
    /// The most elements one tensor may have when it is converted to Float32 (4 GiB of memory).
    public static let maxElements = 1 << 30
}
