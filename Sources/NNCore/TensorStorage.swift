// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// The memory behind one or more tensors: views share a storage and differ in shape, strides and offset.
///
/// `@unchecked Sendable` because the pointer is owned for the storage's whole life; concurrent writes to the
/// same storage are the caller's responsibility, as with PyTorch tensors.
public final class TensorStorage: @unchecked Sendable {
    /// First element. Valid for `count` floats until the storage is released.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats owned.
    public let count: Int
    /// Whether this storage is a leaf's `grad` that also serves, uncopied, as its single use site's contribution
    /// (see `Tensor.contributionIsGrad`). A flag rather than a reference to the leaf: a weak reference would give
    /// every parameter a side table and make all its retains and releases slow.
    @exclusivity(unchecked) var isSharedContribution = false
    /// The values before the first in-place edit made while `isSharedContribution` was set: still the contribution's
    /// values, which the leaf takes the next time it looks (`Tensor.takeEditedContribution`).
    @exclusivity(unchecked) var valuesBeforeEdit: TensorStorage?

    /// Allocates `count` floats set to zero.
    public convenience init(count: Int) {
        self.init(uninitializedCount: count)
        pointer.update(repeating: 0, count: count)
    }

    /// Allocates `count` floats the caller will fill before reading.
    init(uninitializedCount count: Int) {
        self.count = count
        // Allocate at least one float so the pointer is always valid, even for zero-size tensors. Medium and
        // large buffers are recycled (see `ThreadBufferCache`, `StorageBufferPool`); small ones skip both
        // without a call.
        let recycled: UnsafeMutablePointer<Float>?
        if count < ThreadBufferCache.minimumCount {
            recycled = nil
        } else if count < StorageBufferPool.minimumCount {
            recycled = ThreadBufferCache.take(count: count)
        } else {
            recycled = StorageBufferPool.shared.take(count: count)
        }
        pointer = recycled ?? UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
    }

    /// Called before an in-place edit of values someone may read as a gradient contribution: a shared one keeps a
    /// copy of its values, so the edit reaches only the grad (as when contributions were always copies).
    func willEditInPlace() {
        guard isSharedContribution else { return }
        isSharedContribution = false
        let copy = TensorStorage(uninitializedCount: count)
        copy.pointer.update(from: pointer, count: count)
        valuesBeforeEdit = copy
    }

    deinit {
        let kept: Bool
        if count < ThreadBufferCache.minimumCount {
            kept = false
        } else if count < StorageBufferPool.minimumCount {
            kept = ThreadBufferCache.give(pointer, count: count)
        } else {
            kept = StorageBufferPool.shared.give(pointer, count: count)
        }
        if !kept { pointer.deallocate() }
    }
}
