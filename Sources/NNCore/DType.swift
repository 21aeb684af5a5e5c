/// The element type of a tensor. Bool tensors store 0 and 1 as floats so every kernel stays Float32.
public enum DType: Sendable, Equatable {
    /// 32-bit floating point.
    case float32
    /// Booleans stored as 0/1 floats (results of comparisons).
    case bool
    /// Integers stored as floats (exact up to 2²⁴), for counters such as BatchNorm's `num_batches_tracked`,
    /// which PyTorch keeps as int64: files write them as I64.
    case int64
}
