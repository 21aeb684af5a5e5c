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
