import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Recycles large tensor buffers between training steps.
///
/// glibc serves blocks above its mmap threshold (at most 32 MiB) with fresh pages and gives trimmed heap back to
/// the system, so every step of a training loop would pay a page fault and a zeroed page per 4 KiB of every
/// activation and gradient (15% of an MNIST-sized step; a quarter of GPT-2 small's, whose gradients alone are
/// 475 MiB and come back at `zeroGrad()`). Steps repeat the same shapes, so buffers of the exact same size come
/// back: the pool keeps recently freed ones, up to `maximumFloats` in all (1 GiB, or an eighth of the machine's
/// memory if that is less). Like PyTorch's caching allocators it holds that memory until
/// `Tensor.releaseCachedMemory()`.
final class StorageBufferPool: Sendable {
    /// The process-wide pool used by `TensorStorage`.
    static let shared = StorageBufferPool()
    /// Buffers smaller than this (128 KiB) come from malloc's own free lists and are not pooled.
    static let minimumCount = 32_768
    /// At most this many buffers are kept…
    static let maximumEntries = 256
    /// …holding at most this many floats.
    static let maximumFloats: Int = {
        let gibibyte = 1 << 28  // floats
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return gibibyte }
        return Swift.min(gibibyte, pages / 8 * pageSize / MemoryLayout<Float>.size)
    }()

    private struct Entry {
        let count: Int
        let address: UInt  // the buffer's address; a plain integer so the pool's state is Sendable
    }

    private struct Contents {
        var list: [Entry] = []
        var floats = 0
    }

    private let entries = Mutex(Contents())

    /// A pooled buffer of exactly `count` floats (contents unspecified), or nil.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        guard count >= Self.minimumCount else { return nil }
        let address: UInt? = entries.withLock { contents in
            guard let index = contents.list.lastIndex(where: { $0.count == count }) else { return nil }
            contents.floats -= count
            return contents.list.remove(at: index).address
        }
        return address.flatMap { UnsafeMutablePointer<Float>(bitPattern: $0) }
    }

    /// Keeps `pointer` (allocated for `count` floats) for reuse; false when it is too small or the pool is full,
    /// in which case the caller frees it.
    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        guard count >= Self.minimumCount, count <= Self.maximumFloats else { return false }
        return entries.withLock { contents in
            guard contents.list.count < Self.maximumEntries, contents.floats + count <= Self.maximumFloats else {
                return false
            }
            contents.list.append(Entry(count: count, address: UInt(bitPattern: pointer)))
            contents.floats += count
            return true
        }
    }

    /// Frees every pooled buffer.
    func drain() {
        let list = entries.withLock { contents in
            defer { contents = Contents() }
            return contents.list
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
