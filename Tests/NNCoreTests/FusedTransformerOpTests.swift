import NNCore
import Testing
import TestSupport

// The fused transformer ops against the unfused ops they replace: linear/conv1D + GELU with the bias and the
// activation in one pass, and attention reading its heads in place from a [B, T, H·D] projection, writing the
// context in the merged layout, and skipping the probabilities nobody asked for. Values and every gradient must
// equal the unfused path's; finite differences check the gradients on their own.

@Suite("Fused transformer ops")
struct FusedTransformerOpTests {
    /// Gradients of `loss` with respect to each of `inputs` (fresh leaves copied from them).
    private func gradients(_ inputs: [Tensor], _ loss: ([Tensor]) throws -> Tensor) throws -> [[Float]] {
        let leaves = inputs.map { $0.clone() }
        for leaf in leaves { leaf.requiresGrad = true }
        try loss(leaves).backward()
        return try leaves.map { try #require($0.grad).toArray() }
    }

    // MARK: linear / conv1D + GELU

    @Test(arguments: [GELUApproximation.none, .tanh])
    func linearGELUEqualsLinearThenGELU(_ approximate: GELUApproximation) throws {
        // 140 rows × 520 outputs: large enough for the epilogue's split over the cores; 33 inputs, odd widths.
        for (shape, outFeatures, withBias) in [([2, 70, 33], 520, true), ([5, 7], 13, true), ([3, 4, 6], 9, false)] {
            let inFeatures = shape.last!
            let x = sample(shape, seed: 1, low: -2, high: 2), w = sample([outFeatures, inFeatures], seed: 2)
            let b = withBias ? sample([outFeatures], seed: 3) : nil
            let fused = try linearGELU(x, weight: w, bias: b, approximate: approximate)
            let affine = try linear(x, weight: w, bias: b)
            #expect(fused.affine.shape == affine.shape && fused.activated.shape == affine.shape)
            #expect(fused.affine.toArray() == affine.toArray(), "affine output, \(shape) → \(outFeatures)")
            #expect(fused.activated.toArray() == affine.gelu(approximate: approximate).toArray(), "GELU, \(shape) → \(outFeatures)")

            // A loss reading both outputs, so the affine output's own gradient and the GELU's both flow.
            let r1 = sample(affine.shape, seed: 4), r2 = sample(affine.shape, seed: 5)
            let inputs = [x, w] + (b.map { [$0] } ?? [])
            let fusedGradients = try gradients(inputs) { t in
                let out = try linearGELU(t[0], weight: t[1], bias: t.count > 2 ? t[2] : nil, approximate: approximate)
                return try ((out.activated * r1).sum() + (out.affine * r2).sum())
            }
            let plainGradients = try gradients(inputs) { t in
                let out = try linear(t[0], weight: t[1], bias: t.count > 2 ? t[2] : nil)
                return try ((out.gelu(approximate: approximate) * r1).sum() + (out * r2).sum())
            }
            for (index, (got, expected)) in zip(fusedGradients, plainGradients).enumerated() {
                #expect(close(got, expected, tolerance: 1e-6), "gradient of input \(index), \(shape) → \(outFeatures)")
            }
        }
    }

    @Test func conv1DGELUEqualsConv1DThenGELU() throws {
        let x = sample([3, 50, 24], seed: 6), w = sample([24, 300], seed: 7), b = sample([300], seed: 8)
        let fused = try conv1DGELU(x, weight: w, bias: b, approximate: .tanh)
        let affine = try conv1D(x, weight: w, bias: b)
        #expect(fused.affine.toArray() == affine.toArray())
        #expect(fused.activated.toArray() == affine.gelu(approximate: .tanh).toArray())
        let r = sample(affine.shape, seed: 9)
        let fusedGradients = try gradients([x, w, b]) { t in
            try (conv1DGELU(t[0], weight: t[1], bias: t[2], approximate: .tanh).activated * r).sum()
        }
        let plainGradients = try gradients([x, w, b]) { t in
            try (conv1D(t[0], weight: t[1], bias: t[2]).gelu(approximate: .tanh) * r).sum()
        }
        for (got, expected) in zip(fusedGradients, plainGradients) { #expect(close(got, expected, tolerance: 1e-6)) }
    }

    @Test(arguments: [GELUApproximation.none, .tanh])
    func linearGELUGradientsMatchFiniteDifferences(_ approximate: GELUApproximation) throws {
        let x = sample([2, 3, 5], seed: 10), w = sample([4, 5], seed: 11), b = sample([4], seed: 12)
        try checkGradients([x, w, b]) { try linearGELU($0[0], weight: $0[1], bias: $0[2], approximate: approximate).activated }
        try checkGradients([x, w, b]) { try linearGELU($0[0], weight: $0[1], bias: $0[2], approximate: approximate).affine }
        let wt = sample([5, 4], seed: 13)
        try checkGradients([x, wt, b]) { try conv1DGELU($0[0], weight: $0[1], bias: $0[2], approximate: approximate).activated }
    }

    @Test func linearGELURejectsMismatchedShapes() throws {
        #expect(throws: TensorError.self) {
            try linearGELU(sample([2, 3], seed: 1), weight: sample([4, 5], seed: 2), bias: nil, approximate: .none)
        }
        #expect(throws: TensorError.self) {
            try conv1DGELU(sample([2, 5], seed: 1), weight: sample([5, 4], seed: 2), bias: sample([3], seed: 3), approximate: .none)
        }
    }

    // MARK: layer norm over the cores

    @Test func layerNormWithoutGradientEqualsTheRecordedPass() throws {
        // 96 rows × 390: split over the cores, with a partial last group of lanes per row.
        let x = sample([2, 48, 390], seed: 40, low: -3, high: 3), w = sample([390], seed: 41), b = sample([390], seed: 42)
        let plain = try Autograd.noGrad { try layerNorm(x, normalizedShape: [390], weight: w, bias: b, eps: 1e-12) }
        let leaf = x.clone()
        leaf.requiresGrad = true
        let recorded = try layerNorm(leaf, normalizedShape: [390], weight: w, bias: b, eps: 1e-12)
        #expect(plain.toArray() == recorded.toArray())
        // Each row against the formula in Double.
        let values = x.toArray(), out = plain.toArray(), weights = w.toArray(), biases = b.toArray()
        for row in [0, 47, 95] {
            let slice = values[row * 390 ..< (row + 1) * 390].map(Double.init)
            let mean = slice.reduce(0, +) / 390
            let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 390
            for j in [0, 200, 389] {
                let expected = (slice[j] - mean) / (variance + 1e-12).squareRoot() * Double(weights[j]) + Double(biases[j])
                #expect(abs(Double(out[row * 390 + j]) - expected) <= 1e-5 * max(1, abs(expected)))
            }
        }
        try checkGradients([sample([3, 40, 11], seed: 43), sample([11], seed: 44), sample([11], seed: 45)]) {
            try layerNorm($0[0], normalizedShape: [11], weight: $0[1], bias: $0[2])
        }
    }

    // MARK: attention on heads read in place

    /// [B, T, H·D] → [B, H, T, D] views, as the transformer modules split heads.
    private func heads(_ x: Tensor, _ count: Int) throws -> Tensor {
        try x.reshape([x.shape[0], x.shape[1], count, x.shape[2] / count]).permute([0, 2, 1, 3])
    }

    /// softmax(scale·Q·Kᵀ + mask)·V from the unfused ops, on contiguous heads.
    private func reference(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?, scale: Float) throws -> (Tensor, Tensor) {
        var scores = try q.contiguous().matmul(k.contiguous().transpose(-1, -2)) * scale
        if let mask { scores = try scores + mask }
        let p = try scores.softmax(dim: -1)
        return (try p.matmul(v.contiguous()), p)
    }

    @Test func stridedHeadsMatchTheUnfusedOps() throws {
        // BERT-like (12 heads over 2 cores, padding mask) and GPT-2-like (q/k/v sliced from one projection, causal
        // mask) sizes; big enough for the packed product and the split over the cores.
        for (batch, length, headCount, d, sliced) in [(2, 48, 6, 16, false), (1, 64, 4, 32, true), (1, 5, 3, 4, false)] {
            let width = headCount * d
            let projection = sample([batch, length, 3 * width], seed: 20)
            let parts = sliced
                ? try (0 ..< 3).map { try projection.slice(dim: 2, start: $0 * width, end: ($0 + 1) * width) }
                : [sample([batch, length, width], seed: 21), sample([batch, length, width], seed: 22), sample([batch, length, width], seed: 23)]
            let (q, k, v) = (try heads(parts[0], headCount), try heads(parts[1], headCount), try heads(parts[2], headCount))
            var allowed = [Float](repeating: 1, count: batch * length)
            if batch > 1 { for j in (length - 7) ..< length { allowed[j] = 0 } }
            let mask = try additiveAttentionMask(attentionMask: Tensor(allowed, shape: [batch, length]),
                                                 queryLength: length, causal: sliced)
            let scale = 1 / Float(d).squareRoot()
            let (expectedOutput, expectedProbabilities) = try reference(q, k, v, mask: mask, scale: scale)

            let kept = try scaledDotProductAttention(query: q, key: k, value: v, additiveMask: mask, keepingProbabilities: true)
            let skipped = try scaledDotProductAttention(query: q, key: k, value: v, additiveMask: mask, keepingProbabilities: false)
            #expect(skipped.probabilities == nil)
            let probabilities = try #require(kept.probabilities)
            #expect(close(kept.output.toArray(), expectedOutput.toArray(), tolerance: 1e-5), "output, \(batch)×\(length)×\(headCount)×\(d)")
            #expect(skipped.output.toArray() == kept.output.toArray(), "output without probabilities")
            #expect(close(probabilities.toArray(), expectedProbabilities.toArray(), tolerance: 1e-5))
            // The context's storage is [B, T, H, D]: merging the heads back is a view.
            #expect(try kept.output.permute([0, 2, 1, 3]).isContiguous)

            // Gradients through the in-place heads equal those through the unfused ops.
            let r = sample([batch, length, width], seed: 24)
            let source = sliced ? [projection] : parts
            func split(_ t: [Tensor]) throws -> [Tensor] {
                sliced ? try (0 ..< 3).map { try heads(t[0].slice(dim: 2, start: $0 * width, end: ($0 + 1) * width), headCount) }
                    : try t.map { try heads($0, headCount) }
            }
            let fusedGradients = try gradients(source) { t in
                let h = try split(t)
                let out = try scaledDotProductAttention(query: h[0], key: h[1], value: h[2], additiveMask: mask,
                                                        keepingProbabilities: false).output
                return try (out.permute([0, 2, 1, 3]).reshape([batch, length, width]) * r).sum()
            }
            let plainGradients = try gradients(source) { t in
                let h = try split(t)
                let out = try reference(h[0], h[1], h[2], mask: mask, scale: scale).0
                return try (out.permute([0, 2, 1, 3]).reshape([batch, length, width]) * r).sum()
            }
            for (got, expected) in zip(fusedGradients, plainGradients) {
                #expect(close(got, expected, tolerance: 1e-4), "gradients, \(batch)×\(length)×\(headCount)×\(d)")
            }
        }
    }

    @Test func emptyLengthsWithoutProbabilities() throws {
        // No queries: an empty output. No keys: zeros (each empty row attends to nothing), and its backward.
        let none = try scaledDotProductAttention(query: sample([1, 2, 0, 4], seed: 1), key: sample([1, 2, 3, 4], seed: 2),
                                                 value: sample([1, 2, 3, 4], seed: 3), keepingProbabilities: false)
        #expect(none.output.shape == [1, 2, 0, 4] && none.probabilities == nil)
        let q = sample([1, 2, 3, 4], seed: 4)
        q.requiresGrad = true
        let noKeys = try scaledDotProductAttention(query: q, key: sample([1, 2, 0, 4], seed: 5),
                                                   value: sample([1, 2, 0, 4], seed: 6), keepingProbabilities: false)
        #expect(noKeys.output.shape == [1, 2, 3, 4] && noKeys.output.toArray().allSatisfy { $0 == 0 })
        try noKeys.output.sum().backward()
        #expect(try #require(q.grad).toArray().allSatisfy { $0 == 0 })
    }

    @Test func stridedHeadsGradientsMatchFiniteDifferences() throws {
        // q, k, v sliced from one [B, T, 3·H·D] projection, causal, without the probabilities.
        let projection = sample([2, 5, 3 * 2 * 3], seed: 30)
        try checkGradients([projection]) { t in
            let h = try (0 ..< 3).map { try heads(t[0].slice(dim: 2, start: $0 * 6, end: ($0 + 1) * 6), 2) }
            return try scaledDotProductAttention(query: h[0], key: h[1], value: h[2], isCausal: true,
                                                 keepingProbabilities: false).output
        }
    }
}
