import NNCore
import Testing
import TestSupport

@Suite("Scaled dot-product attention")
struct AttentionTests {
    @Test func matchesPyTorchOutputsProbabilitiesAndGradients() throws {
        let reference = try TransformerOpReference("attention")
        #expect(reference.caseCount == 6)
        for i in 0..<reference.caseCount {
            let q = try reference.tensor(i, "query"), k = try reference.tensor(i, "key"), v = try reference.tensor(i, "value")
            let mask = reference.has(i, "mask") ? try reference.tensor(i, "mask") : nil
            let maskTakesGradient = reference.has(i, "grad_mask")
            for t in [q, k, v] { t.requiresGrad = true }
            mask?.requiresGrad = maskTakesGradient
            let scale: Float? = try reference.argument(i, "has_scale") != 0 ? reference.argument(i, "scale") : nil
            let (out, probabilities) = try scaledDotProductAttentionWithProbabilities(
                query: q, key: k, value: v, additiveMask: mask, isCausal: reference.argument(i, "causal") != 0, scale: scale)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try expectMatches(probabilities, reference.tensor(i, "probabilities"), "case \(i) probabilities")
            var inputs = [("query", q), ("key", k), ("value", v)]
            if maskTakesGradient, let mask { inputs.append(("mask", mask)) }
            try reference.expectGradients(i, output: out, inputs: inputs)
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let q = sample([2, 2, 3, 4], seed: 1), k = sample([2, 2, 5, 4], seed: 2), v = sample([2, 2, 5, 3], seed: 3)
        try checkGradients([q, k, v]) { try scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2]) }
        // Causal, odd sizes, explicit scale.
        let q7 = sample([1, 3, 7, 5], seed: 4), k7 = sample([1, 3, 7, 5], seed: 5), v7 = sample([1, 3, 7, 5], seed: 6)
        try checkGradients([q7, k7, v7]) {
            try scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], isCausal: true, scale: 0.7)
        }
        // Padding mask [B, 1, 1, Tk] of finfo.min, broadcast over heads and queries.
        let padding = try additiveAttentionMask(attentionMask: Tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]), queryLength: 1,
                                                causal: false)
        try checkGradients([q, k, v]) {
            try scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], additiveMask: padding)
        }
        // A finite random mask and its own gradient, broadcast from [Tq, Tk].
        let mask = sample([3, 5], seed: 7, low: -2, high: 2)
        try checkGradients([q, k, v, mask]) {
            try scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], additiveMask: $0[3])
        }
    }

    @Test func fullyMaskedRowsStayFinite() throws {
        let q = sample([1, 2, 3, 4], seed: 11), k = sample([1, 2, 4, 4], seed: 12), v = sample([1, 2, 4, 4], seed: 13)
        // Row 1 masked everywhere with −∞: PyTorch's attention gives zeros there; everything has gradient checks.
        var infMask = [Float](repeating: 0, count: 12)
        for j in 4..<8 { infMask[j] = -.infinity }
        infMask[2] = -.infinity
        let negativeInfinity = try Tensor(infMask, shape: [3, 4])
        let out = try scaledDotProductAttention(query: q, key: k, value: v, additiveMask: negativeInfinity)
        #expect(out.toArray().allSatisfy { $0.isFinite })
        #expect(try out.slice(dim: 2, start: 1, end: 2).toArray().allSatisfy { $0 == 0 })
        try checkGradients([q, k, v]) {
            try scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], additiveMask: negativeInfinity)
        }
        // The same row masked with finfo.min attends uniformly: the mean of the values, as transformers' eager
        // attention gives. (Its query/key gradients are the exact softmax gradient, which PyTorch also reports but a
        // finite difference cannot see once s + finfo.min rounds to finfo.min; the PyTorch comparison covers them.)
        let finfoMask = try Tensor(infMask.map { $0 == -.infinity ? -Float.greatestFiniteMagnitude : 0 }, shape: [3, 4])
        let uniform = try scaledDotProductAttention(query: q, key: k, value: v, additiveMask: finfoMask)
        let meanOfValues = try v.mean(dim: 2)
        #expect(close(try uniform.slice(dim: 2, start: 1, end: 2).reshape([2, 4]).toArray(),
                      try meanOfValues.reshape([2, 4]).toArray(), tolerance: 1e-6))
        try checkGradients([v]) {
            try scaledDotProductAttention(query: q, key: k, value: $0[0], additiveMask: finfoMask)
        }
    }

    @Test func groupedQueryAttentionThroughRepeatedHeads() throws {
        // 4 query heads share 2 key/value heads (times 2); gradients reach the unrepeated key and value.
        let q = sample([1, 4, 3, 4], seed: 21), k = sample([1, 2, 3, 4], seed: 22), v = sample([1, 2, 3, 4], seed: 23)
        try checkGradients([q, k, v]) {
            try scaledDotProductAttention(query: $0[0], key: repeatKeyValueHeads($0[1], times: 2),
                                          value: repeatKeyValueHeads($0[2], times: 2), isCausal: true)
        }
        // Head 3 attends with key/value head 1.
        let out = try scaledDotProductAttention(query: q, key: repeatKeyValueHeads(k, times: 2),
                                                value: repeatKeyValueHeads(v, times: 2))
        let alone = try scaledDotProductAttention(query: q.slice(dim: 1, start: 3, end: 4),
                                                  key: k.slice(dim: 1, start: 1, end: 2),
                                                  value: v.slice(dim: 1, start: 1, end: 2))
        #expect(close(try out.slice(dim: 1, start: 3, end: 4).toArray(), alone.toArray(), tolerance: 1e-6))
    }

    @Test func equalsTheComposedOpsAndReadsTransposedViews() throws {
        // Q, K, V as transformers makes them: [B, T, H·D] projections viewed [B, T, H, D] and transposed.
        let projection = sample([2, 5, 3 * 4], seed: 31)
        let heads = try projection.reshape([2, 5, 3, 4]).transpose(1, 2)
        let fused = try scaledDotProductAttention(query: heads, key: heads, value: heads, isCausal: true)
        try checkGradients([projection]) {
            let h = try $0[0].reshape([2, 5, 3, 4]).transpose(1, 2)
            return try scaledDotProductAttention(query: h, key: h, value: h, isCausal: true).transpose(1, 2)
        }
        let scores = try heads.matmul(heads.transpose(-1, -2)) * (1 / Float(2))
        var causal = [Float](repeating: 0, count: 25)
        for i in 0..<5 { for j in (i + 1)..<5 { causal[i * 5 + j] = -.infinity } }
        let composed = try (scores + Tensor(causal, shape: [5, 5])).softmax(dim: -1).matmul(heads)
        #expect(close(fused.toArray(), composed.toArray(), tolerance: 1e-5))
    }

    @Test func recordsOneNodeWithItsUseSite() throws {
        let q = sample([1, 1, 2, 2], seed: 41), k = sample([1, 1, 2, 2], seed: 42), v = sample([1, 1, 2, 2], seed: 43)
        for t in [q, k, v] { t.requiresGrad = true }
        let out = try Autograd.withUseSite("encoder.layer.0.attention") {
            try scaledDotProductAttention(query: q, key: k, value: v)
        }
        #expect(out.gradFn?.name == "ScaledDotProductAttentionBackward0")
        try out.sum().backward()
        #expect(q.gradientContributions.map(\.site) == ["encoder.layer.0.attention"])
        #expect(v.gradientContributions.map(\.site) == ["encoder.layer.0.attention"])
        // Probabilities are outside the graph, and a copy while the output keeps them for backward.
        let (_, probabilities) = try scaledDotProductAttentionWithProbabilities(query: q, key: k, value: v)
        #expect(!probabilities.requiresGrad)
        #expect(close(try probabilities.sum(dim: -1).toArray(), [1, 1], tolerance: 1e-6))
        let untracked = try Autograd.noGrad { try scaledDotProductAttention(query: q, key: k, value: v) }
        #expect(untracked.gradFn == nil)
    }

    @Test func wrongShapesThrowErrorsNamingTheShapes() throws {
        let q = Tensor.zeros([1, 2, 3, 4])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try scaledDotProductAttention(query: Tensor.zeros([2, 3, 4]), key: q, value: q) }
            .hasPrefix("scaledDotProductAttention: query [2, 3, 4], key [1, 2, 3, 4]"))
        #expect(message { try scaledDotProductAttention(query: q, key: Tensor.zeros([1, 1, 3, 4]), value: q) }
            .contains("repeat key/value heads"))
        #expect(message { try scaledDotProductAttention(query: q, key: Tensor.zeros([1, 2, 3, 5]), value: q) }
            .contains("head dims 4 and 5"))
        #expect(message { try scaledDotProductAttention(query: q, key: q, value: Tensor.zeros([1, 2, 2, 4])) }
            .contains("lengths 3 and 2"))
        #expect(message { try scaledDotProductAttention(query: q, key: q, value: q, additiveMask: Tensor.zeros([2, 1, 3, 3])) }
            .contains("mask [2, 1, 3, 3] does not broadcast to the scores [1, 2, 3, 3]"))
        #expect(message { try scaledDotProductAttention(query: q, key: q, value: q, additiveMask: Tensor.zeros([3, 3]).gt(0)) }
            .contains("boolean"))
        #expect(message { try scaledDotProductAttention(query: q, key: q, value: q, scale: .nan) }.contains("scale"))
        #expect(message { try scaledDotProductAttentionWithProbabilities(query: q, key: q, value: Tensor.zeros([1, 2, 4])).output }
            .hasPrefix("scaledDotProductAttentionWithProbabilities:"))
    }

    @Test func emptyLengthsGiveEmptyOrZeroResults() throws {
        let none = try scaledDotProductAttention(query: Tensor.zeros([1, 1, 0, 3]), key: Tensor.zeros([1, 1, 2, 3]),
                                                 value: Tensor.zeros([1, 1, 2, 3]))
        #expect(none.shape == [1, 1, 0, 3])
        let noKeys = try scaledDotProductAttention(query: Tensor.ones([1, 1, 2, 3]), key: Tensor.zeros([1, 1, 0, 3]),
                                                   value: Tensor.zeros([1, 1, 0, 3]))
        #expect(noKeys.shape == [1, 1, 2, 3] && noKeys.toArray().allSatisfy { $0 == 0 })
    }
}

@Suite("Additive attention masks")
struct AdditiveAttentionMaskTests {
    @Test func matchesTransformersEagerMasks() throws {
        let reference = try TransformerOpReference("attention_mask")
        #expect(reference.caseCount == 4)
        for i in 0..<reference.caseCount {
            let mask = try additiveAttentionMask(attentionMask: reference.tensor(i, "attention_mask"),
                                                 queryLength: Int(reference.argument(i, "query_length")),
                                                 causal: reference.argument(i, "causal") != 0)
            try expectMatches(mask, reference.tensor(i, "output"), "case \(i) mask", relative: 0, absolute: 0)
        }
    }

    @Test func rejectsBadMasks() throws {
        #expect(throws: TensorError.self) { try additiveAttentionMask(attentionMask: Tensor.ones([3]), queryLength: 1, causal: false) }
        #expect(throws: TensorError.self) { try additiveAttentionMask(attentionMask: Tensor([[1, 0.5]]), queryLength: 2, causal: false) }
        #expect(throws: TensorError.self) { try additiveAttentionMask(attentionMask: Tensor.ones([1, 2]), queryLength: 3, causal: true) }
        #expect(throws: TensorError.self) { try additiveAttentionMask(attentionMask: Tensor.ones([1, 2]), queryLength: -1, causal: false) }
    }
}
