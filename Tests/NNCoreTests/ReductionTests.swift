import Foundation
import NNCore
import Testing
import TestSupport

@Test func reductionsComputeTheRightValues() throws {
    let x = try Tensor([[1, 5, 3], [4, 2, 6]])
    #expect(try x.sum().item() == 21)
    #expect(try x.mean().item() == 3.5)
    #expect(try x.sum(dim: 0).toArray() == [5, 7, 9])
    #expect(try x.sum(dim: -1, keepdim: true).shape == [2, 1])
    #expect(try x.mean(dim: 1).toArray() == [3, 4])
    #expect(try x.max().item() == 6)
    #expect(try x.min().item() == 1)
    let (values, indices) = try x.max(dim: 1)
    #expect(values.toArray() == [5, 6])
    #expect(indices.toArray() == [1, 2])
    #expect(try x.min(dim: 0, keepdim: true).values.shape == [1, 3])
    #expect(try x.argmax(dim: 0).toArray() == [1, 0, 1])
    #expect(try x.argmax().item() == 5)
    #expect(throws: TensorError.self) { try x.sum(dim: 2) }
    #expect(throws: TensorError.self) { try x.softmax(dim: -3) }
}

@Test func softmaxIsStableAndNormalised() throws {
    let x = try Tensor([[1000, 1001, 1002], [-5, 0, 5]])
    let p = try x.softmax(dim: 1)
    #expect(close(try p.sum(dim: 1).toArray(), [1, 1]))
    #expect(close(p.toArray().prefix(3).map { $0 }, [0.09003057, 0.24472848, 0.66524094]))
    let logP = try x.logSoftmax(dim: -1)
    #expect(logP.toArray().allSatisfy { $0.isFinite })
    #expect(close(logP.exp().toArray(), p.toArray()))
}

@Test func reductionsHaveCorrectGradients() throws {
    let x = sample([3, 4], seed: 21)
    try checkGradients([x]) { $0[0].sum() }
    try checkGradients([x]) { $0[0].mean() }
    try checkGradients([x]) { try $0[0].sum(dim: 0) }
    try checkGradients([x]) { try $0[0].sum(dim: 1, keepdim: true) }
    try checkGradients([x]) { try $0[0].mean(dim: -1) }
    try checkGradients([x]) { try $0[0].max() }
    try checkGradients([x]) { try $0[0].min() }
    try checkGradients([x]) { try $0[0].max(dim: 1).values }
    try checkGradients([x]) { try $0[0].min(dim: 0, keepdim: true).values }
    try checkGradients([x]) { try $0[0].softmax(dim: 1) }
    try checkGradients([x]) { try $0[0].softmax(dim: 0) }
    try checkGradients([x]) { try $0[0].logSoftmax(dim: 1) }
    try checkGradients([sample([2, 3, 2], seed: 22)]) { try $0[0].logSoftmax(dim: 1) }
}

/// The contiguous softmax runs eight lanes at a time with a partial last group: every row length from 1 to 37,
/// with −∞ entries (exact zeros out) and a spread wide enough to underflow, against a Double reference.
@Test func contiguousSoftmaxMatchesADoubleReferenceAtEveryLength() throws {
    for length in 1...37 {
        var values = (0..<length).map { Float(($0 * 37 + length * 11) % 23) * 0.7 - 8 }
        if length > 2 { values[length / 2] = -.infinity }
        if length > 5 { values[1] = -120 }
        let p = try Tensor(values, shape: [1, length]).softmax(dim: 1).toArray()
        let top = Double(values.max()!)
        let exps = values.map { $0 == -.infinity ? 0 : Foundation.exp(Double($0) - top) }
        let total = exps.reduce(0, +)
        for (got, e) in zip(p, exps) {
            #expect(abs(Double(got) - e / total) <= 1e-6 + 1e-5 * e / total, "length \(length)")
        }
        if length > 2 { #expect(p[length / 2] == 0, "length \(length): −∞ gives exactly 0") }
    }
    let masked = try Tensor([Float](repeating: -.infinity, count: 11), shape: [1, 1, 1, 11])
    let q = try Tensor([Float](repeating: 1, count: 2), shape: [1, 1, 1, 2])
    let kv = try Tensor([Float](repeating: 1, count: 22), shape: [1, 1, 11, 2])
    let out = try scaledDotProductAttention(query: q, key: kv, value: kv, additiveMask: masked)
    #expect(out.toArray() == [0, 0], "a row masked everywhere attends to nothing")
}
