#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The packed products' scratch buffers, one set per thread, kept between products.
///
/// Allocating the A and B panels on every call (up to 2 MiB for B) gave each large product fresh pages from
/// mmap — a page fault per 4 KiB, and wherever the kernel placed them — which is one of the things that made the
/// 1024² product's speed drift on a busy machine. A thread's buffers grow to the largest size it has needed and
/// stay; they are 4 KiB aligned, and buffers of 512 KiB and more are whole 2 MiB huge pages marked `MADV_HUGEPAGE`
/// (this machine's transparent huge pages are `madvise`), so one TLB entry covers a whole B block. A thread holds at
/// most one set (at most about 2.2 MiB of used memory with the default blocking); it is freed when the thread exits.
enum PackingWorkspace {
    /// The size and alignment of a transparent huge page.
    static let hugePageBytes = 2 << 20
    /// Bytes from which a buffer is rounded up to whole huge pages and advised to use them (a 1024² product's
    /// B block is 512 KiB per thread).
    static let hugePageThreshold = 512 << 10

    /// This thread's buffers of at least `aCount` and `bCount` floats (contents unspecified). The caller must not
    /// start another packed product on this thread while it uses them (products do not nest).
    static func buffers(aCount: Int, bCount: Int) -> (a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) {
        let slots = currentSlots()
        return (buffer(in: slots, at: 0, count: aCount), buffer(in: slots, at: 2, count: bCount))
    }

    /// The buffer in slots[index] (address) and slots[index + 1] (capacity in floats), grown to `count`.
    private static func buffer(in slots: UnsafeMutablePointer<Int>, at index: Int,
                               count: Int) -> UnsafeMutablePointer<Float> {
        if slots[index + 1] >= count, let pointer = UnsafeMutablePointer<Float>(bitPattern: slots[index]) {
            return pointer
        }
        free(UnsafeMutableRawPointer(bitPattern: slots[index]))
        slots[index] = 0
        slots[index + 1] = 0
        var bytes = Swift.max(count, 16) * 4
        let huge = bytes >= hugePageThreshold
        if huge { bytes = (bytes + hugePageBytes - 1) / hugePageBytes * hugePageBytes }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, huge ? hugePageBytes : 4096, bytes) == 0, let raw else {
            fatalError("PackingWorkspace: cannot allocate \(bytes) bytes for packing")
        }
        #if canImport(Glibc)
        if huge { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        #endif
        slots[index] = Int(bitPattern: raw)
        slots[index + 1] = bytes / 4
        return raw.bindMemory(to: Float.self, capacity: bytes / 4)
    }

    /// This thread's four words (A address, A capacity, B address, B capacity), created on first use.
    private static func currentSlots() -> UnsafeMutablePointer<Int> {
        if let pointer = pthread_getspecific(key) { return pointer.assumingMemoryBound(to: Int.self) }
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: 4)
        slots.initialize(repeating: 0, count: 4)
        pthread_setspecific(key, slots)
        return slots
    }

    /// The thread-specific slot holding each thread's buffers, freed by `releasePackingWorkspace`.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { releasePackingWorkspace($0) }
        precondition(status == 0, "PackingWorkspace: no thread-specific key available (pthread_key_create: \(status))")
        return key
    }()
}

/// Frees a thread's packing buffers when the thread exits.
private func releasePackingWorkspace(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    let slots = pointer.assumingMemoryBound(to: Int.self)
    free(UnsafeMutableRawPointer(bitPattern: slots[0]))
    free(UnsafeMutableRawPointer(bitPattern: slots[2]))
    slots.deallocate()
}
