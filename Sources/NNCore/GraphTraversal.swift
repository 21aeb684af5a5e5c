import Synchronization

/// Numbers graph walks so each can mark the tensors it visited (`Tensor.visitedInTraversal`) instead of keeping a
/// hash set; numbers are process-wide and never reused, so a stale mark can't look current.
enum GraphTraversal {
    private static let counter = Atomic<UInt64>(0)

    /// A number no earlier traversal used (starting at 1, so the default mark 0 means "never visited").
    static func next() -> UInt64 {
        counter.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
