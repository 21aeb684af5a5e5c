@testable import NNCore
import Testing

@Suite("Recycled tensor buffers")
struct StorageBufferPoolTests {
    /// A private pool: buffers below the minimum are refused, exact sizes come back, other sizes don't.
    @Test func takesBackOnlyExactLargeSizes() {
        let pool = StorageBufferPool()
        let small = UnsafeMutablePointer<Float>.allocate(capacity: 16)
        #expect(!pool.give(small, count: 16))
        small.deallocate()
        let count = StorageBufferPool.minimumCount + 5
        let large = UnsafeMutablePointer<Float>.allocate(capacity: count)
        #expect(pool.give(large, count: count))
        #expect(pool.take(count: count + 1) == nil)
        #expect(pool.take(count: count) == large)
        #expect(pool.take(count: count) == nil)
        large.deallocate()
    }

    /// The pool stops accepting buffers when full, and drain frees what it holds.
    @Test func boundedAndDrainable() {
        let pool = StorageBufferPool()
        let count = StorageBufferPool.minimumCount
        var accepted = 0
        for _ in 0 ..< StorageBufferPool.maximumEntries + 3 {
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            if pool.give(buffer, count: count) { accepted += 1 } else { buffer.deallocate() }
        }
        #expect(accepted == StorageBufferPool.maximumEntries)
        pool.drain()
        #expect(pool.take(count: count) == nil)
    }

    /// Tensors built on recycled buffers hold exactly their own values (zeros are re-zeroed, copies are full).
    @Test func recycledBuffersCarryNoOldValues() throws {
        let shape = [256, 200]  // 51,200 floats: pooled
        for round in 0 ..< 3 {
            do {
                let filled = Tensor.full(shape, value: Float(round + 7))
                #expect(filled.toArray().allSatisfy { $0 == Float(round + 7) })
            }
            let zeros = Tensor.zeros(shape)
            #expect(zeros.toArray().allSatisfy { $0 == 0 })
            var generator = SeededGenerator(seed: UInt64(round))
            let x = Tensor.randn(shape, generator: &generator)
            let y = x * 2
            #expect(zip(x.toArray(), y.toArray()).allSatisfy { $0 * 2 == $1 })
        }
        Tensor.releaseCachedMemory()
    }

    /// The calling thread's medium buffers: exact sizes come back, other sizes don't, the list is bounded and
    /// drain empties it. (A test body is synchronous, so it runs on one thread throughout.)
    @Test func threadCacheRecyclesMediumBuffersOfTheExactSize() {
        ThreadBufferCache.drain()
        let count = ThreadBufferCache.minimumCount + 3
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        #expect(ThreadBufferCache.give(buffer, count: count))
        #expect(ThreadBufferCache.take(count: count + 1) == nil)
        #expect(ThreadBufferCache.take(count: count) == buffer)
        #expect(ThreadBufferCache.take(count: count) == nil)
        buffer.deallocate()
        var kept = 0
        for _ in 0 ..< ThreadBufferCache.maximumEntries + 2 {
            let other = UnsafeMutablePointer<Float>.allocate(capacity: count)
            if ThreadBufferCache.give(other, count: count) { kept += 1 } else { other.deallocate() }
        }
        #expect(kept == ThreadBufferCache.maximumEntries)
        ThreadBufferCache.drain()
        #expect(ThreadBufferCache.take(count: count) == nil)
    }

    /// Tensors of a thread-cached size hold exactly their own values, and a tiny training loop gives the same
    /// gradients every step.
    @Test func threadCachedBuffersCarryNoOldValues() throws {
        let shape = [16, 20]  // 320 floats: cached per thread
        for round in 0 ..< 3 {
            do {
                let filled = Tensor.full(shape, value: Float(round + 7))
                #expect(filled.toArray().allSatisfy { $0 == Float(round + 7) })
            }
            #expect(Tensor.zeros(shape).toArray().allSatisfy { $0 == 0 })
        }
        var generator = SeededGenerator(seed: 10)
        let w = Tensor.randn([64, 20], generator: &generator)
        w.requiresGrad = true
        let x = Tensor.randn([8, 20], generator: &generator)
        var first: [Float] = []
        for step in 0 ..< 3 {
            w.zeroGrad()
            try linear(x, weight: w, bias: nil).relu().sum().backward()
            let grad = try #require(w.grad).toArray()
            if step == 0 { first = grad } else { #expect(grad == first) }
        }
        Tensor.releaseCachedMemory()
    }

    /// A training-style loop over pooled sizes gives the same gradients every step.
    @Test func repeatedStepsGiveIdenticalGradients() throws {
        var generator = SeededGenerator(seed: 9)
        let w = Tensor.randn([256, 160], generator: &generator)
        w.requiresGrad = true
        let x = Tensor.randn([64, 160], generator: &generator)
        var first: [Float] = []
        for step in 0 ..< 3 {
            w.zeroGrad()
            try linear(x, weight: w, bias: nil).relu().sum().backward()
            let grad = try #require(w.grad).toArray()
            if step == 0 { first = grad } else { #expect(grad == first) }
        }
    }
}
