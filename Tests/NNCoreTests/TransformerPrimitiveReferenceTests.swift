import NNCore
import Testing
import TestSupport

/// softmax, GELU and 4-d batched matmul against PyTorch, including masked entries and transposed operands.
@Suite("softmax, GELU and batched matmul against PyTorch")
struct TransformerPrimitiveReferenceTests {
    @Test func softmaxMatchesPyTorchWithMaskedEntries() throws {
        let reference = try TransformerOpReference("softmax")
        #expect(reference.caseCount == 2)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x")
            x.requiresGrad = true
            let dim = reference.has(i, "arg_dim") ? Int(try reference.argument(i, "dim")) : -1
            let out = try x.softmax(dim: dim)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("x", x)])
        }
        // A row of −∞ only is NaN, as in torch.softmax.
        #expect(try Tensor([-Float.infinity, -.infinity], shape: [1, 2]).softmax(dim: -1).toArray().allSatisfy { $0.isNaN })
        try checkGradients([sample([3, 5], seed: 1, low: -3, high: 3)]) { try $0[0].softmax(dim: -1) }
        try checkGradients([sample([3, 4, 2], seed: 2, low: -3, high: 3)]) { try $0[0].softmax(dim: 1) }
    }

    @Test func geluMatchesPyTorchInBothForms() throws {
        let reference = try TransformerOpReference("gelu")
        #expect(reference.caseCount == 2)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x")
            x.requiresGrad = true
            let out = x.gelu(approximate: try reference.argument(i, "tanh") != 0 ? .tanh : .none)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("x", x)])
        }
        try checkGradients([sample([7], seed: 3, low: -4, high: 4)]) { $0[0].gelu(approximate: .tanh) }
        try checkGradients([sample([7], seed: 4, low: -4, high: 4)]) { $0[0].gelu() }
    }

    @Test func batchedMatmulMatchesPyTorch() throws {
        let reference = try TransformerOpReference("matmul")
        #expect(reference.caseCount == 4)
        for i in 0..<reference.caseCount {
            let a = try reference.tensor(i, "a"), b = try reference.tensor(i, "b")
            a.requiresGrad = true
            b.requiresGrad = true
            let out = try reference.argument(i, "transpose_b") != 0 ? a.matmul(b.transpose(-1, -2)) : a.matmul(b)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("a", a), ("b", b)])
        }
    }

    @Test func batchedMatmulLayoutsHaveCorrectGradients() throws {
        let a = sample([2, 3, 4, 5], seed: 5), b = sample([2, 3, 6, 5], seed: 6)
        // Kᵀ as a view, Aᵀ as a view, both, a shared 2-d operand on either side, partial broadcasting, 1-d operands.
        try checkGradients([a, b]) { try $0[0].matmul($0[1].transpose(-1, -2)) }
        try checkGradients([a, sample([3, 2, 4, 6], seed: 18)]) { try $0[0].transpose(-1, -2).matmul($0[1].transpose(0, 1)) }
        try checkGradients([a, sample([6, 4], seed: 7)]) { try $0[0].transpose(-1, -2).matmul($0[1].t()) }
        try checkGradients([a, sample([5, 3], seed: 8)]) { try $0[0].matmul($0[1]) }
        try checkGradients([sample([3, 4], seed: 9), a]) { try $0[0].matmul($0[1]) }
        try checkGradients([a, sample([5, 3], seed: 10)]) { try $0[0].transpose(-1, -2).matmul($0[0]).matmul($0[1]) }
        try checkGradients([sample([2, 1, 4, 5], seed: 11), sample([1, 3, 5, 2], seed: 12)]) { try $0[0].matmul($0[1]) }
        try checkGradients([sample([1, 1, 4, 5], seed: 13), b]) { try $0[0].matmul($0[1].transpose(-1, -2)) }
        try checkGradients([a, sample([5], seed: 14)]) { try $0[0].matmul($0[1]) }
        try checkGradients([sample([4], seed: 15), a]) { try $0[0].matmul($0[1]) }
        // Values equal the product of contiguous copies.
        let viewProduct = try a.matmul(b.transpose(-1, -2))
        let copyProduct = try a.matmul(b.transpose(-1, -2).contiguous())
        #expect(close(viewProduct.toArray(), copyProduct.toArray(), tolerance: 1e-6))
        // Empty batches and inner dimensions.
        #expect(try Tensor.zeros([0, 2, 3]).matmul(Tensor.zeros([3, 4])).shape == [0, 2, 4])
        #expect(try Tensor.zeros([2, 2, 0]).matmul(Tensor.zeros([0, 4])).toArray() == [Float](repeating: 0, count: 16))
        #expect(throws: TensorError.self) { try a.matmul(b) }
        #expect(throws: TensorError.self) { try a.matmul(Tensor.zeros([4, 5, 2])) }
    }

    @Test func manyHeadsUseTheBatchSplitWithTheSameResults() throws {
        // 24 products of 64×64×32: together above the parallel threshold, each below it.
        let q = sample([2, 12, 64, 32], seed: 16), k = sample([2, 12, 64, 32], seed: 17)
        let product = try q.matmul(k.transpose(-1, -2))
        let first = try q[1][5].matmul(k[1][5].t())
        #expect(close(try product[1][5].toArray(), first.toArray(), tolerance: 1e-5))
        let attention = try scaledDotProductAttention(query: q, key: k, value: k, isCausal: true)
        let single = try scaledDotProductAttention(query: q.slice(dim: 1, start: 5, end: 6), key: k.slice(dim: 1, start: 5, end: 6),
                                                   value: k.slice(dim: 1, start: 5, end: 6), isCausal: true)
        #expect(close(try attention.slice(dim: 1, start: 5, end: 6).toArray(), single.toArray(), tolerance: 1e-5))
    }
}
