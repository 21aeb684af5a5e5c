/// The memory behind one or more tensors: views share a storage and differ in shape, strides and offset.
///
/// `@unchecked Sendable` because the pointer is owned for the storage's whole life; concurrent writes to the
/// same storage are the caller's responsibility, as with PyTorch tensors.
public final class TensorStorage: @unchecked Sendable {
    /// First element. Valid for `count` floats until the storage is released.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats owned.
    public let count: Int
    /// The leaf whose single use-site contribution is the gradient tensor over this storage, shared with its
    /// `grad` rather than copied (see `Tensor.contributionIsGrad`). Weak: a storage must not keep a parameter alive.
    weak var contributionSharer: Tensor?

    /// Allocates `count` floats set to zero.
    public convenience init(count: Int) {
        self.init(uninitializedCount: count)
        pointer.update(repeating: 0, count: count)
    }

    /// Allocates `count` floats the caller will fill before reading.
    init(uninitializedCount count: Int) {
        self.count = count
        // Allocate at least one float so the pointer is always valid, even for zero-size tensors. Large buffers
        // are recycled (see `StorageBufferPool`).
        pointer = StorageBufferPool.shared.take(count: count)
            ?? UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
    }

    /// Called before an in-place edit of values someone may read as a gradient contribution: the sharing leaf
    /// first gives its contribution a copy, so the edit reaches only the grad (as when contributions were copies).
    func willEditInPlace() {
        guard let leaf = contributionSharer else { return }
        contributionSharer = nil
        if leaf.contributionIsGrad, leaf.gradientContributions[0].gradient.storage === self {
            leaf.separateSharedContribution()
        }
    }

    deinit {
        if !StorageBufferPool.shared.give(pointer, count: count) { pointer.deallocate() }
    }
}
