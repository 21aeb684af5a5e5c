import NNCore
import Testing
import TestSupport

/// The textbook triple loop on row-major arrays, in Double.
func naiveProduct(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
            c[i * n + j] = Float(s)
        }
    }
    return c
}

@Test func matmulMatchesTheNaiveProductOnOddShapes() throws {
    var seed: UInt64 = 100
    for (m, k, n) in [(1, 1, 1), (3, 5, 7), (17, 9, 13), (8, 16, 8), (2, 33, 31), (64, 3, 65)] {
        seed += 2
        let a = sample([m, k], seed: seed), b = sample([k, n], seed: seed + 1)
        let c = try a.matmul(b)
        #expect(c.shape == [m, n])
        #expect(close(c.toArray(), naiveProduct(a.toArray(), b.toArray(), m: m, k: k, n: n), tolerance: 1e-4))
        // A transposed (non-contiguous) operand gives the same answer.
        let bt = try sample([n, k], seed: seed + 1).t()
        #expect(close(try a.matmul(bt).toArray(), naiveProduct(a.toArray(), bt.toArray(), m: m, k: k, n: n), tolerance: 1e-4))
    }
}

@Test func matmulFollowsPyTorchRulesForOneAndThreeDimensions() throws {
    let v = Tensor([1, 2, 3]), m = try Tensor([[1, 0], [0, 1], [1, 1]])
    #expect(try v.matmul(v).shape == [])
    #expect(try v.matmul(v).item() == 14)
    #expect(try v.matmul(m).toArray() == [4, 5])
    #expect(try m.t().matmul(v).toArray() == [4, 5])
    let batch = sample([4, 2, 3], seed: 3)
    let product = try batch.matmul(m)
    #expect(product.shape == [4, 2, 2])
    for i in 0..<4 {
        #expect(close(try product[i].toArray(), try batch[i].matmul(m).toArray()))
    }
    // Broadcast batch dimensions: [2, 1, 2, 3] × [5, 3, 4] → [2, 5, 2, 4].
    #expect(try sample([2, 1, 2, 3], seed: 4).matmul(sample([5, 3, 4], seed: 5)).shape == [2, 5, 2, 4])
    #expect(try batch.matmul(v).shape == [4, 2])
}

@Test func matmulErrorsNameTheShapes() throws {
    #expect(throws: TensorError("matmul", "[2, 3] × [4, 5]: inner dimensions 3 and 4 differ")) {
        try Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
    }
    let error = #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5])) }
    #expect(error?.description == "matmul: [2, 3] × [4, 5]: inner dimensions 3 and 4 differ")
    #expect(throws: TensorError.self) { try Tensor(scalar: 1).matmul(Tensor.zeros([1])) }
    #expect(throws: TensorError.self) { try sample([2, 2, 3], seed: 1).matmul(sample([3, 3, 2], seed: 2)) }
}

@Test func matmulAndLinearHaveCorrectGradients() throws {
    try checkGradients([sample([3, 4], seed: 31), sample([4, 5], seed: 32)]) { try $0[0].matmul($0[1]) }
    try checkGradients([sample([4], seed: 33), sample([4], seed: 34)]) { try $0[0].matmul($0[1]) }
    try checkGradients([sample([4], seed: 35), sample([4, 2], seed: 36)]) { try $0[0].matmul($0[1]) }
    try checkGradients([sample([3, 4], seed: 37), sample([4], seed: 38)]) { try $0[0].matmul($0[1]) }
    try checkGradients([sample([2, 3, 4], seed: 39), sample([4, 2], seed: 40)]) { try $0[0].matmul($0[1]) }
    try checkGradients([sample([2, 1, 3, 4], seed: 41), sample([3, 4, 2], seed: 42)]) { try $0[0].matmul($0[1]) }
    let x = sample([3, 5], seed: 43), w = sample([4, 5], seed: 44), b = sample([4], seed: 45)
    try checkGradients([x, w, b]) { try linear($0[0], weight: $0[1], bias: $0[2]) }
    try checkGradients([x, w]) { try linear($0[0], weight: $0[1], bias: nil) }
    try checkGradients([sample([2, 3, 5], seed: 46), w, b]) { try linear($0[0], weight: $0[1], bias: $0[2]) }
}

@Test func linearMatchesMatmulPlusBiasAndChecksShapes() throws {
    let x = sample([2, 20], seed: 1), w = sample([7, 20], seed: 2), b = sample([7], seed: 3)
    let expected = try x.matmul(w.t()) + b
    #expect(close(try linear(x, weight: w, bias: b).toArray(), expected.toArray(), tolerance: 1e-5))
    w.requiresGrad = true
    #expect(try linear(x, weight: w, bias: b).gradFn?.name == "AddmmBackward0")
    let error = #expect(throws: TensorError.self) { try linear(sample([2, 19], seed: 1), weight: w, bias: b) }
    #expect(error?.op == "linear")
    #expect(error?.description.contains("[2, 19]") == true)
}
