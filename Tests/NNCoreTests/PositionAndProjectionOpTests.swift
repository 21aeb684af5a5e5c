import NNCore
import Testing
import TestSupport

@Suite("Rotary embeddings, repeated key/value heads, GPT-2 Conv1D")
struct PositionAndProjectionOpTests {
    @Test func rotaryEmbeddingMatchesLlama() throws {
        let reference = try TransformerOpReference("rotary")
        #expect(reference.caseCount == 3)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x"), cos = try reference.tensor(i, "cos"), sin = try reference.tensor(i, "sin")
            let positions = try reference.tensor(i, "positions").toArray().map { Int($0) }
            let width = x.shape[3], length = x.shape[2]
            let theta = Double(try reference.argument(i, "theta"))
            // The tables: one per sequence of position ids.
            var cosRows: [Float] = [], sinRows: [Float] = []
            for start in stride(from: 0, to: positions.count, by: length) {
                let tables = try rotaryEmbeddingTables(positions: Array(positions[start ..< start + length]),
                                                       headDimension: width, theta: theta)
                cosRows += tables.cos.toArray()
                sinRows += tables.sin.toArray()
            }
            try expectMatches(Tensor(cosRows, shape: cos.shape), cos, "case \(i) cos")
            try expectMatches(Tensor(sinRows, shape: sin.shape), sin, "case \(i) sin")
            for t in [x, cos, sin] { t.requiresGrad = true }
            let out = try applyRotaryEmbedding(x, cos: cos, sin: sin)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out, inputs: [("x", x), ("cos", cos), ("sin", sin)])
        }
    }

    @Test func rotaryEmbeddingGradientsAndErrors() throws {
        let x = sample([2, 3, 4, 6], seed: 1)
        let tables = try rotaryEmbeddingTables(positions: [0, 1, 2, 3], headDimension: 6, theta: 10_000)
        // [T, D] tables broadcast over batch and heads; [B, T, D] and [B, 1, T, D] tables per sequence.
        try checkGradients([x, tables.cos, tables.sin]) { try applyRotaryEmbedding($0[0], cos: $0[1], sin: $0[2]) }
        let perBatch = sample([2, 4, 6], seed: 2), perBatchSin = sample([2, 4, 6], seed: 3)
        try checkGradients([x, perBatch, perBatchSin]) { try applyRotaryEmbedding($0[0], cos: $0[1], sin: $0[2]) }
        try checkGradients([x]) {
            try applyRotaryEmbedding($0[0], cos: perBatch.reshape([2, 1, 4, 6]), sin: perBatchSin.reshape([2, 1, 4, 6]))
        }
        // [1, T, D] tables (position ids [1, T]) shared by both sequences, with their gradient summed over them.
        let sharedCos = try Tensor(tables.cos.toArray(), shape: [1, 4, 6])
        let sharedSin = try Tensor(tables.sin.toArray(), shape: [1, 4, 6])
        try checkGradients([x, sharedCos, sharedSin]) {
            try applyRotaryEmbedding($0[0], cos: $0[1], sin: $0[2])
        }
        #expect(close(try applyRotaryEmbedding(x, cos: sharedCos, sin: sharedSin).toArray(),
                      try applyRotaryEmbedding(x, cos: tables.cos, sin: tables.sin).toArray(), tolerance: 0))
        #expect(throws: TensorError.self) {
            try applyRotaryEmbedding(x, cos: Tensor.zeros([3, 4, 6]), sin: Tensor.zeros([3, 4, 6]))
        }
        // Heads as transformers makes them, a transposed view of [B, T, H, D].
        try checkGradients([sample([2, 4, 3, 6], seed: 12)]) {
            try applyRotaryEmbedding($0[0].transpose(1, 2), cos: tables.cos, sin: tables.sin)
        }
        // Rotating by position 0 is the identity; the rotation keeps each pair's norm.
        let zero = try rotaryEmbeddingTables(positions: [0, 0, 0, 0], headDimension: 6, theta: 10_000)
        #expect(close(try applyRotaryEmbedding(x, cos: zero.cos, sin: zero.sin).toArray(), x.toArray(), tolerance: 1e-7))
        let rotated = try applyRotaryEmbedding(x, cos: tables.cos, sin: tables.sin)
        #expect(close(try (rotated * rotated).sum().toArray(), try (x * x).sum().toArray(), tolerance: 1e-5))
        #expect(throws: TensorError.self) { try applyRotaryEmbedding(Tensor.zeros([1, 1, 4, 5]), cos: tables.cos, sin: tables.sin) }
        #expect(throws: TensorError.self) { try applyRotaryEmbedding(Tensor.zeros([1, 4, 6]), cos: tables.cos, sin: tables.sin) }
        #expect(throws: TensorError.self) { try applyRotaryEmbedding(x, cos: tables.cos, sin: perBatch) }
        #expect(throws: TensorError.self) { try applyRotaryEmbedding(x, cos: Tensor.zeros([3, 6]), sin: Tensor.zeros([3, 6])) }
        #expect(throws: TensorError.self) { try rotaryEmbeddingTables(positions: [0], headDimension: 5, theta: 10_000) }
        #expect(throws: TensorError.self) { try rotaryEmbeddingTables(positions: [0], headDimension: 4, theta: 0) }
        #expect(throws: TensorError.self) { try rotaryEmbeddingTables(positions: [0], headDimension: 4, theta: .infinity) }
    }

    @Test func repeatKeyValueHeadsMatchesRepeatKV() throws {
        let reference = try TransformerOpReference("repeat_kv")
        #expect(reference.caseCount == 3)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x")
            x.requiresGrad = true
            let out = try repeatKeyValueHeads(x, times: Int(reference.argument(i, "times")))
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output", relative: 0, absolute: 0)
            try reference.expectGradients(i, output: out, inputs: [("x", x)])
        }
    }

    @Test func repeatKeyValueHeadsGradientsAndErrors() throws {
        try checkGradients([sample([2, 2, 3, 2], seed: 4)]) { try repeatKeyValueHeads($0[0], times: 3) }
        let transposed = try sample([1, 3, 2, 4], seed: 5).transpose(1, 2)
        try checkGradients([transposed]) { try repeatKeyValueHeads($0[0], times: 2) }
        let x = sample([1, 2, 3, 4], seed: 6)
        #expect(try repeatKeyValueHeads(x, times: 1) === x)
        #expect(throws: TensorError.self) { try repeatKeyValueHeads(x, times: 0) }
        #expect(throws: TensorError.self) { try repeatKeyValueHeads(Tensor.zeros([2, 3, 4]), times: 2) }
    }

    @Test func conv1DMatchesGPT2Conv1D() throws {
        let reference = try TransformerOpReference("conv1d")
        #expect(reference.caseCount == 3)
        for i in 0..<reference.caseCount {
            let x = try reference.tensor(i, "x"), weight = try reference.tensor(i, "weight")
            let bias = try reference.argument(i, "has_bias") != 0 ? reference.tensor(i, "bias") : nil
            for t in [x, weight] + (bias.map { [$0] } ?? []) { t.requiresGrad = true }
            let out = try conv1D(x, weight: weight, bias: bias)
            try expectMatches(out, reference.tensor(i, "output"), "case \(i) output")
            try reference.expectGradients(i, output: out,
                                          inputs: [("x", x), ("weight", weight)] + (bias.map { [("bias", $0)] } ?? []))
        }
    }

    @Test func conv1DGradientsAndErrors() throws {
        let x = sample([2, 3, 5], seed: 7), w = sample([5, 4], seed: 8), b = sample([4], seed: 9)
        try checkGradients([x, w, b]) { try conv1D($0[0], weight: $0[1], bias: $0[2]) }
        try checkGradients([sample([3, 5], seed: 10), w]) { try conv1D($0[0], weight: $0[1], bias: nil) }
        // The same as a Linear layer with the transposed weight.
        #expect(close(try conv1D(x, weight: w, bias: b).toArray(), try linear(x, weight: w.t(), bias: b).toArray()))
        #expect(try Autograd.noGrad { try conv1D(x, weight: w, bias: b) }.gradFn == nil)
        #expect(throws: TensorError.self) { try conv1D(x, weight: Tensor.zeros([4, 5]), bias: nil) }
        #expect(throws: TensorError.self) { try conv1D(x, weight: w, bias: Tensor.zeros([5])) }
        #expect(throws: TensorError.self) { try conv1D(x, weight: Tensor.zeros([5]), bias: nil) }
    }
}
