import Synchronization

/// Recycles large tensor buffers between training steps.
///
/// glibc serves blocks above its mmap threshold with fresh pages, so every step of a training loop would pay a
/// page fault per 4 KiB of every activation and gradient (15% of an MNIST-sized step). Steps repeat the same
/// shapes, so buffers of the exact same size come back: the pool keeps a few recently freed ones.
final class StorageBufferPool: Sendable {
    /// The process-wide pool used by `TensorStorage`.
    static let shared = StorageBufferPool()
    /// Buffers smaller than this (128 KiB) come from malloc's own free lists and are not pooled.
    static let minimumCount = 32_768
    /// At most this many buffers are kept…
    static let maximumEntries = 16
    /// …holding at most this many floats (32 MiB).
    static let maximumFloats = 8 << 20

    private struct Entry {
        let count: Int
        let address: UInt  // the buffer's address; a plain integer so the pool's state is Sendable
    }

    private let entries = Mutex<[Entry]>([])

    /// A pooled buffer of exactly `count` floats (contents unspecified), or nil.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        guard count >= Self.minimumCount else { return nil }
        let address: UInt? = entries.withLock { list in
            guard let index = list.lastIndex(where: { $0.count == count }) else { return nil }
            return list.remove(at: index).address
        }
        return address.flatMap { UnsafeMutablePointer<Float>(bitPattern: $0) }
    }

    /// Keeps `pointer` (allocated for `count` floats) for reuse; false when it is too small or the pool is full,
    /// in which case the caller frees it.
    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        guard count >= Self.minimumCount, count <= Self.maximumFloats else { return false }
        return entries.withLock { list in
            let held = list.reduce(0) { $0 + $1.count }
            guard list.count < Self.maximumEntries, held + count <= Self.maximumFloats else { return false }
            list.append(Entry(count: count, address: UInt(bitPattern: pointer)))
            return true
        }
    }

    /// Frees every pooled buffer.
    func drain() {
        let list = entries.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for entry in list { UnsafeMutablePointer<Float>(bitPattern: entry.address)?.deallocate() }
    }
}

extension Tensor {
    /// Returns the buffers kept for reuse between training steps to the system (like PyTorch's `empty_cache`):
    /// the large ones of every thread and the calling thread's medium ones, e.g. before measuring memory.
    public static func releaseCachedMemory() {
        StorageBufferPool.shared.drain()
        ThreadBufferCache.drain()
    }
}
