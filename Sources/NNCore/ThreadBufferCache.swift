#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Recycles a thread's recently freed medium-sized tensor buffers (1 KiB up to `StorageBufferPool`'s minimum).
///
/// A tiny model's step allocates and frees the same few activation and gradient sizes every time. Blocks this
/// size miss glibc's per-thread cache (tcache, up to 1 KiB) and cost several hundred instructions each way in
/// its bins; a per-thread list needs no lock and hands back a buffer that is still in the CPU's cache. Only the
/// owning thread touches its list, which holds at most `maximumEntries` buffers (at most 1 MiB) and is freed
/// when the thread exits.
enum ThreadBufferCache {
    /// Buffers of fewer floats (1 KiB) come from malloc's own per-thread cache.
    static let minimumCount = 256
    /// At most this many buffers are kept per thread.
    static let maximumEntries = 8

    /// A buffer of exactly `count` floats (contents unspecified) freed earlier on this thread, or nil.
    static func take(count: Int) -> UnsafeMutablePointer<Float>? {
        let slots = currentSlots()
        let held = slots[0]
        var i = held - 1
        while i >= 0 {
            if slots[1 + i] == count {
                let address = slots[1 + maximumEntries + i]
                // The last entry moves into the freed place.
                slots[1 + i] = slots[held]
                slots[1 + maximumEntries + i] = slots[maximumEntries + held]
                slots[0] = held - 1
                return UnsafeMutablePointer(bitPattern: address)
            }
            i -= 1
        }
        return nil
    }

    /// Keeps `pointer` (allocated for `count` floats) for reuse on this thread; false when the list is full, in
    /// which case the caller frees it.
    static func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        let slots = currentSlots()
        let held = slots[0]
        guard held < maximumEntries else { return false }
        slots[1 + held] = count
        slots[1 + maximumEntries + held] = Int(bitPattern: pointer)
        slots[0] = held + 1
        return true
    }

    /// Frees every buffer this thread keeps.
    static func drain() {
        freeBuffers(in: currentSlots())
    }

    /// This thread's list, created on first use: plain words, so using it costs no reference counting. Word 0
    /// is the number of buffers held, then `maximumEntries` sizes, then as many addresses.
    private static func currentSlots() -> UnsafeMutablePointer<Int> {
        if let pointer = pthread_getspecific(key) { return pointer.assumingMemoryBound(to: Int.self) }
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: 1 + 2 * maximumEntries)
        slots.initialize(repeating: 0, count: 1 + 2 * maximumEntries)
        pthread_setspecific(key, slots)
        return slots
    }

    static func freeBuffers(in slots: UnsafeMutablePointer<Int>) {
        for i in 0 ..< slots[0] {
            UnsafeMutablePointer<Float>(bitPattern: slots[1 + maximumEntries + i])?.deallocate()
        }
        slots[0] = 0
    }

    /// The thread-specific slot holding each thread's list, freed by `releaseThreadBufferCache`.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { releaseThreadBufferCache($0) }
        precondition(status == 0, "ThreadBufferCache: no thread-specific key available (pthread_key_create: \(status))")
        return key
    }()
}

/// Frees a thread's cached buffers and its list when the thread exits.
private func releaseThreadBufferCache(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    let slots = pointer.assumingMemoryBound(to: Int.self)
    ThreadBufferCache.freeBuffers(in: slots)
    slots.deallocate()
}
