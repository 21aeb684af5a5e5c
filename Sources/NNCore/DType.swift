/// The element type of a tensor. Bool tensors store 0 and 1 as floats so every kernel stays Float32.
public enum DType: Sendable, Equatable {
    /// 32-bit floating point.
    case float32
    /// Booleans stored as 0/1 floats (results of comparisons).
    case bool
}
