import NNCore
import Testing
import TestSupport

@Suite("RMSNorm, L2 normalisation, masked mean pooling")
struct NormalizationOpTests {
    @Test func rmsNormMatchesLlamaRMSNorm() throws {
        let reference = try TransformerOpReference("rms_norm")
        #expect(reference.caseCount == 3)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x")
            x.requiresGrad = true
            let weight = try reference.argument(i, "has_weight") != 0 ? reference.tensor(i, "weight") : nil
            weight?.requiresGrad = true
            let out = try rmsNorm(x, weight: weight, eps: reference.argument(i, "eps"))
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("x", x)] + (weight.map { [("weight", $0)] } ?? []))
        }
    }

    @Test func rmsNormGradientsAndErrors() throws {
        let x = sample([3, 5], seed: 1, low: -2, high: 2), w = sample([5], seed: 2, low: 0.5, high: 1.5)
        try checkGradients([x, w]) { try rmsNorm($0[0], weight: $0[1], eps: 1e-6) }
        try checkGradients([sample([2, 2, 7], seed: 3)]) { try rmsNorm($0[0], weight: nil, eps: 1e-5) }
        // A transposed (non-contiguous) input normalises its own last dimension.
        let t = try sample([4, 3], seed: 4).transpose(0, 1)
        try checkGradients([t]) { try rmsNorm($0[0], weight: nil, eps: 1e-6) }
        #expect(throws: TensorError.self) { try rmsNorm(x, weight: Tensor.ones([4]), eps: 1e-6) }
        #expect(throws: TensorError.self) { try rmsNorm(Tensor(scalar: 1), weight: nil, eps: 1e-6) }
        // All-zero rows give zeros, not NaN.
        #expect(try rmsNorm(Tensor.zeros([2, 3]), weight: nil, eps: 1e-6).toArray() == [0, 0, 0, 0, 0, 0])
    }

    @Test func l2NormalizedMatchesFNormalize() throws {
        let reference = try TransformerOpReference("l2_normalize")
        #expect(reference.caseCount == 3)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x")
            x.requiresGrad = true
            let out = try x.l2Normalized(dim: Int(reference.argument(i, "dim")))
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("x", x)])
        }
    }

    @Test func l2NormalizedGradientsAndErrors() throws {
        try checkGradients([sample([3, 4], seed: 5)]) { try $0[0].l2Normalized(dim: -1) }
        try checkGradients([sample([2, 3, 5], seed: 6)]) { try $0[0].l2Normalized(dim: 1) }
        try checkGradients([sample([4], seed: 7)]) { try $0[0].l2Normalized(dim: 0, eps: 1e-3) }
        // A norm below eps is clamped: x / eps, gradient g / eps.
        try checkGradients([sample([3], seed: 8, low: -1e-4, high: 1e-4)], epsilon: 1e-5) {
            try $0[0].l2Normalized(dim: 0, eps: 1)
        }
        let unit = try sample([5, 6], seed: 9).l2Normalized(dim: 1)
        #expect(close(try (unit * unit).sum(dim: 1).toArray(), [Float](repeating: 1, count: 5), tolerance: 1e-6))
        #expect(throws: TensorError.self) { try unit.l2Normalized(dim: 2) }
    }

    @Test func maskedMeanPoolMatchesSentenceTransformers() throws {
        let reference = try TransformerOpReference("mean_pool")
        #expect(reference.caseCount == 2)
        for i in 0..<reference.caseCount {
            let hidden = try reference.tensor(i, "hidden"), mask = try reference.tensor(i, "attention_mask")
            hidden.requiresGrad = true
            mask.requiresGrad = true
            let out = try maskedMeanPool(hidden, attentionMask: mask)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("hidden", hidden), ("attention_mask", mask)])
        }
    }

    @Test func maskedMeanPoolGradientsAndErrors() throws {
        let hidden = sample([2, 3, 4], seed: 10)
        let mask = try Tensor([[1, 1, 0], [0, 1, 1]])
        try checkGradients([hidden]) { try maskedMeanPool($0[0], attentionMask: mask) }
        // Soft (non-0/1) weights for the mask's own gradient, away from the clamp.
        try checkGradients([hidden, sample([2, 3], seed: 11, low: 0.2, high: 1)]) {
            try maskedMeanPool($0[0], attentionMask: $0[1])
        }
        // A sequence with no tokens pools to zeros.
        let empty = try maskedMeanPool(hidden, attentionMask: Tensor([[0, 0, 0], [1, 0, 0]]))
        #expect(try empty.slice(dim: 0, start: 0, end: 1).toArray() == [0, 0, 0, 0])
        #expect(close(try empty.slice(dim: 0, start: 1, end: 2).toArray(), try hidden[1][0].toArray()))
        #expect(throws: TensorError.self) { try maskedMeanPool(hidden, attentionMask: Tensor.ones([2, 4])) }
        #expect(throws: TensorError.self) { try maskedMeanPool(Tensor.ones([2, 3]), attentionMask: Tensor.ones([2, 3])) }
    }
}
