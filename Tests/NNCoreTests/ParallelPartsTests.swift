#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import TestSupport
import Testing
@testable import NNCore

/// Slots that the parts of a split write, each part its own (`@unchecked Sendable`: no two parts share a slot).
private struct Slots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int>
    init(_ count: Int) {
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
    }
    func free() { base.deallocate() }
}

/// The persistent worker pool behind `forEachParallelIndex` and `forEachParallelPart`: every part runs exactly
/// once, nested and concurrent splits finish (run serially while the pool is busy), products split over it from
/// several threads at once give the bits of the serial product, and idle workers sleep.
@Suite struct ParallelPartsTests {
    @Test(arguments: [1, 2, 3, 5, 8, 64, 1000])
    func everyIndexRunsOnce(_ count: Int) {
        let slots = Slots(count)
        defer { slots.free() }
        for _ in 0 ..< 20 {
            forEachParallelIndex(count) { index in slots.base[index] += 1 }
        }
        let counts = Array(UnsafeBufferPointer(start: slots.base, count: count))
        #expect(counts.allSatisfy { $0 == 20 }, "runs per index: \(counts.prefix(16))")
        #expect(parallelWorkerCount <= Swift.max(0, PackedGemm.processorCount - 1))
    }

    @Test func partsAreWholeTilesCoveringTheRangeOnce() {
        let total = 100, unit = 16
        let slots = Slots(total)
        defer { slots.free() }
        let starts = Slots(total)
        defer { starts.free() }
        forEachParallelPart(of: total, unit: unit, parts: 3) { first, count in
            starts.base[first] = 1
            for i in first ..< first + count { slots.base[i] += 1 }
        }
        #expect(Array(UnsafeBufferPointer(start: slots.base, count: total)).allSatisfy { $0 == 1 })
        let firsts = (0 ..< total).filter { starts.base[$0] == 1 }
        #expect(firsts.allSatisfy { $0 % unit == 0 }, "parts start at \(firsts)")
        #expect(firsts.count == 3)
    }

    /// A split inside a part finds the pool busy and runs serially on the part's thread: no deadlock.
    @Test func nestedSplitsFinish() {
        let slots = Slots(4 * 6)
        defer { slots.free() }
        forEachParallelIndex(4) { outer in
            forEachParallelIndex(6) { inner in slots.base[outer * 6 + inner] += 1 }
        }
        #expect(Array(UnsafeBufferPointer(start: slots.base, count: 24)).allSatisfy { $0 == 1 })
    }

    /// Eight threads splitting at once: one owns the pool at a time, the others run serially, all finish.
    @Test func concurrentCallersAllFinish() {
        let threads = 8, repeats = 300, parts = 3
        let slots = Slots(threads * parts)
        defer { slots.free() }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for _ in 0 ..< repeats {
                forEachParallelIndex(parts) { part in slots.base[thread * parts + part] += 1 }
            }
        }
        let counts = Array(UnsafeBufferPointer(start: slots.base, count: threads * parts))
        #expect(counts.allSatisfy { $0 == repeats }, "runs per thread and part: \(counts)")
    }

    /// BERT-MiniLM's projection product on two threads, from four threads at once, against the serial product:
    /// the split divides C's columns, so every element is summed in the same order and the bits agree.
    @Test func concurrentProductsMatchTheSerialProduct() throws {
        let (m, n, k) = (128, 384, 384)
        var generator = SeededGenerator(seed: 31)
        let a = Tensor.randn([m, k], generator: &generator), b = Tensor.randn([k, n], generator: &generator)
        let serial = Tensor.uninitialized([m, n])
        matmulKernel(a: a.base, b: b.base, c: serial.base, m: m, n: n, k: k, transposeA: false, transposeB: false,
                     threads: 1)
        let outputs = (0 ..< 4).map { _ in Tensor.uninitialized([m, n]) }
        let pointers = outputs.map { ProductOutput(base: $0.base) }
        let (aBase, bBase) = (ProductOutput(base: a.base), ProductOutput(base: b.base))
        DispatchQueue.concurrentPerform(iterations: pointers.count) { i in
            for _ in 0 ..< 10 {
                matmulKernel(a: aBase.base, b: bBase.base, c: pointers[i].base, m: m, n: n, k: k, transposeA: false,
                             transposeB: false, threads: 2)
            }
        }
        let expected = serial.toArray()
        for (i, out) in outputs.enumerated() {
            #expect(out.toArray() == expected, "thread \(i)'s product differs from the serial one")
        }
    }

    static let hostTest = "ParallelPartsTests/idleWorkersUseNoCPU()"
    static let childFailed: Int32 = 3
    static let childSucceeded: Int32 = 42

    /// In a child process of its own (the tests running in parallel here would use the pool and the CPU): after
    /// a burst of splits, the workers poll for at most the spin time, then sleep — 200 ms of idling costs the
    /// process (all its threads) less than 10 ms of CPU.
    @Test func idleWorkersUseNoCPU() throws {
        if ChildProcess.currentMode?.mode == "pool-idle" {
            measureInThisProcess()
            return
        }
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "pool-idle")
        #expect(ChildProcess.wait(pid) == Self.childSucceeded, "idle worker threads kept using the CPU")
    }

    private func measureInThisProcess() {
        let slots = Slots(2)
        var sum = 0
        for _ in 0 ..< 1000 {
            forEachParallelIndex(2) { part in
                var x = 0
                for i in 0 ..< 10_000 { x &+= i &* part }
                slots.base[part] = x
            }
            sum &+= slots.base[1]
        }
        slots.free()
        let workersStarted = parallelWorkerCount == Swift.min(1, PackedGemm.processorCount - 1)
        usleep(20_000)  // past the spin time
        let before = Self.processCPUSeconds()
        usleep(200_000)
        let idleCPU = Self.processCPUSeconds() - before
        exit(sum != 0 && workersStarted && idleCPU < 0.010 ? Self.childSucceeded : Self.childFailed)
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
