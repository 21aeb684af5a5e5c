import Dispatch
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

/// The split behind the two-core products (`forEachParallelIndex`, `forEachParallelPart`): every part runs
/// exactly once, nested and concurrent splits finish, and products split from several threads at once give the
/// bits of the serial product.
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

    /// A split inside a part finishes (no deadlock).
    @Test func nestedSplitsFinish() {
        let slots = Slots(4 * 6)
        defer { slots.free() }
        forEachParallelIndex(4) { outer in
            forEachParallelIndex(6) { inner in slots.base[outer * 6 + inner] += 1 }
        }
        #expect(Array(UnsafeBufferPointer(start: slots.base, count: 24)).allSatisfy { $0 == 1 })
    }

    /// Eight threads splitting at once all finish, every part run once.
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
}
