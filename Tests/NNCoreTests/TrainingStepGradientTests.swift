@testable import NNCore
import Testing
import TestSupport

/// The training step's gradient bookkeeping without dense temporaries: an embedding's gradient kept as rows and
/// added into the weight's pending gradient, pending sums accumulated in place, recycled buffers. Each result is
/// compared with the dense path (every use of a weight on a leaf of its own, summed afterwards): exactly, since
/// the same float additions happen in the same order.
@Suite("Training step gradients")
struct TrainingStepGradientTests {
    /// An embedding's gradient by hand: each picked row gets the sum of the output rows that picked it, in
    /// order; other rows and the padding row get zero.
    @Test func embeddingGradientIsTheDenseScatter() throws {
        let weight = sample([6, 4], seed: 1)
        weight.requiresGrad = true
        let indices = try Tensor([[1, 4, 1], [0, 1, 5]])
        let upstream = sample([2, 3, 4], seed: 2)
        try embedding(indices: indices, weight: weight, paddingIndex: 5).backward(gradient: upstream)
        var expected = [Float](repeating: 0, count: 24)
        let g = upstream.toArray()
        for (r, index) in [1, 4, 1, 0, 1, 5].enumerated() where index != 5 {
            for j in 0 ..< 4 { expected[index * 4 + j] += g[r * 4 + j] }
        }
        #expect(try #require(weight.grad).toArray() == expected)
        #expect(weight.gradientContributions.count == 1)
        #expect(weight.gradientContributions[0].gradient.toArray() == expected)
    }

    /// One weight as an embedding ("wte") and as the output projection ("lm_head"), as GPT-2 ties them, in both
    /// orders of backward: the total and each use's contribution equal the dense path's, also after a second
    /// backward without `zeroGrad` (contributions summed over passes).
    @Test(arguments: [false, true])
    func tiedEmbeddingEqualsTheDensePath(embeddingLast: Bool) throws {
        let vocabulary = 7, width = 5
        let tied = sample([vocabulary, width], seed: 3)
        tied.requiresGrad = true
        let ids = Tensor([2, 6, 2, 0])
        let x = sample([3, width], seed: 4)
        let upstreamHead = sample([3, vocabulary], seed: 5), upstreamEmbedding = sample([4, width], seed: 6)

        /// Embedding and head on `embeddingWeight` and `headWeight`; the loss weighs them by fixed upstreams.
        func loss(embeddingWeight: Tensor, headWeight: Tensor) throws -> Tensor {
            func head() throws -> Tensor {
                let logits = try Autograd.withUseSite("lm_head") { try linear(x, weight: headWeight, bias: nil) }
                return try (logits * upstreamHead).sum()
            }
            func embed() throws -> Tensor {
                let rows = try Autograd.withUseSite("transformer.wte") {
                    try embedding(indices: ids, weight: embeddingWeight)
                }
                return try (rows * upstreamEmbedding).sum()
            }
            // Backward reaches the op recorded last first.
            if embeddingLast {
                let h = try head()
                return try h + embed()
            }
            let e = try embed()
            return try e + head()
        }

        let embeddingCopy = tied.detach().clone(), headCopy = tied.detach().clone()
        embeddingCopy.requiresGrad = true
        headCopy.requiresGrad = true
        for pass in 1 ... 2 {
            try loss(embeddingWeight: tied, headWeight: tied).backward()
            try loss(embeddingWeight: embeddingCopy, headWeight: headCopy).backward()
            let embeddingPart = try #require(embeddingCopy.grad).toArray()
            let headPart = try #require(headCopy.grad).toArray()
            let contributions = Dictionary(uniqueKeysWithValues: tied.gradientContributions.map {
                ($0.site, $0.gradient.toArray())
            })
            #expect(contributions["transformer.wte"] == embeddingPart, "pass \(pass)")
            #expect(contributions["lm_head"] == headPart, "pass \(pass)")
            if pass == 1 {
                #expect(try #require(tied.grad).toArray() == zip(headPart, embeddingPart).map { $0 + $1 })
            } else {
                // Each pass's total was added to the grad: compare with the per-pass dense sums.
                let total = try #require(tied.grad).toArray()
                #expect(close(total, zip(headPart, embeddingPart).map { $0 + $1 }, tolerance: 1e-6))
            }
            #expect(tied.backwardCount == pass)
        }
        // Listed in forward order.
        #expect(tied.gradientContributions.map(\.site)
            == (embeddingLast ? ["lm_head", "transformer.wte"] : ["transformer.wte", "lm_head"]))
        tied.zeroGrad()
        #expect(tied.grad == nil && tied.gradientContributions.isEmpty)
    }

    /// A tensor used several times, where a rule hands one gradient tensor to two inputs (`+`): the in-place
    /// sums never write into a tensor someone else holds, and a gradient given to `backward` is left as it was.
    @Test func inPlacePendingSumsTouchNothingShared() throws {
        let x = sample([4, 3], seed: 7)
        x.requiresGrad = true
        let seed = sample([4, 3], seed: 8)
        let seedValues = seed.toArray()
        let y = try (x + x) + x * 3 + x
        try y.backward(gradient: seed)
        #expect(seed.toArray() == seedValues)
        #expect(close(try #require(x.grad).toArray(), seedValues.map { 6 * $0 }))
        let z = sample([300, 128], seed: 9)  // pooled size
        z.requiresGrad = true
        let w = try z + z
        let v = try w * w
        try (v + w).sum().backward()
        let expected = z.toArray().map { 2 * (2 * (2 * $0)) + 2 }
        #expect(close(try #require(z.grad).toArray(), expected))
    }

    /// Steps on pooled sizes (a 300 × 128 tied embedding, logits over 300 classes) give the gradients of the
    /// first step every time, and a step that picks other rows after `zeroGrad` leaves no trace of the earlier
    /// rows in buffers it got back from the pool.
    @Test func repeatedStepsReuseBuffersWithoutStaleValues() throws {
        let vocabulary = 300, width = 128
        let tied = sample([vocabulary, width], seed: 10)
        tied.requiresGrad = true
        func step(_ ids: [Float]) throws -> (grad: [Float], uses: [String: [Float]]) {
            tied.zeroGrad()
            let tokens = try Autograd.withUseSite("wte") { try embedding(indices: Tensor(ids), weight: tied) }
            let logits = try Autograd.withUseSite("lm_head") { try linear(tokens.tanh(), weight: tied, bias: nil) }
            try crossEntropy(logits: logits, targets: Tensor(Array(ids.reversed()))).backward()
            let uses = Dictionary(uniqueKeysWithValues: tied.gradientContributions.map {
                ($0.site, $0.gradient.toArray())
            })
            return (try #require(tied.grad).toArray(), uses)
        }
        let first = try step([3, 17, 3, 250])
        for _ in 0 ..< 2 {
            let again = try step([3, 17, 3, 250])
            #expect(again.grad == first.grad)
            #expect(again.uses == first.uses)
        }
        let other = try step([5, 6])
        let embeddingUse = try #require(other.uses["wte"])
        for row in 0 ..< vocabulary where row != 5 && row != 6 {
            #expect(embeddingUse[row * width ..< (row + 1) * width].allSatisfy { $0 == 0 }, "row \(row)")
        }
        // The same step on a fresh weight (fresh buffers) gives the same numbers.
        let fresh = tied.detach().clone()
        fresh.requiresGrad = true
        let tokens = try Autograd.withUseSite("wte") { try embedding(indices: Tensor([5, 6]), weight: fresh) }
        let logits = try Autograd.withUseSite("lm_head") { try linear(tokens.tanh(), weight: fresh, bias: nil) }
        try crossEntropy(logits: logits, targets: Tensor([6, 5])).backward()
        #expect(try #require(fresh.grad).toArray() == other.grad)
        Tensor.releaseCachedMemory()
    }

    /// The pool takes buffers as large as a GPT-2 gradient (154 MB) within its budget, and refuses what would
    /// exceed it.
    @Test func poolKeepsLargeBuffersWithinItsBudget() {
        let pool = StorageBufferPool()
        let large = StorageBufferPool.maximumFloats / 2 + 1
        let first = UnsafeMutablePointer<Float>.allocate(capacity: large)
        let second = UnsafeMutablePointer<Float>.allocate(capacity: large)
        #expect(pool.give(first, count: large))
        #expect(!pool.give(second, count: large))
        second.deallocate()
        #expect(pool.take(count: large) == first)
        #expect(pool.take(count: large) == nil)
        first.deallocate()
    }

    /// `crossEntropy`'s one node gives bit for bit the loss and logits gradient of log-softmax followed by
    /// `nllLoss`, for every reduction, with ignored targets, a scaled upstream gradient, and 1-d logits.
    @Test(arguments: [LossReduction.mean, .sum, .none])
    func crossEntropyEqualsLogSoftmaxThenNLL(reduction: LossReduction) throws {
        let cases: [(logits: Tensor, targets: Tensor)] = [
            (sample([5, 37], seed: 11, low: -6, high: 6), Tensor([3, -100, 36, 0, 3])),
            (sample([9], seed: 12, low: -3, high: 3), Tensor(scalar: 4)),
        ]
        for (values, targets) in cases {
            let fusedLogits = values.detach().clone(), unfusedLogits = values.detach().clone()
            fusedLogits.requiresGrad = true
            unfusedLogits.requiresGrad = true
            let fused = try crossEntropy(logits: fusedLogits, targets: targets, ignoreIndex: -100, reduction: reduction)
            let unfused = try nllLoss(unfusedLogits.logSoftmax(dim: -1), targets: targets, ignoreIndex: -100,
                                      reduction: reduction)
            #expect(fused.shape == unfused.shape)
            #expect(fused.toArray() == unfused.toArray())
            let upstream = sample(fused.shape, seed: 13, low: 0.5, high: 2)
            try fused.backward(gradient: upstream)
            try unfused.backward(gradient: upstream)
            #expect(try #require(fusedLogits.grad).toArray() == #require(unfusedLogits.grad).toArray())
        }
        try checkGradients([sample([3, 6], seed: 14)]) {
            try crossEntropy(logits: $0[0], targets: Tensor([5, 0, 2]), reduction: reduction)
        }
    }
}
