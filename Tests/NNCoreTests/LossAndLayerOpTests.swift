import NNCore
import Testing
import TestSupport

@Test func crossEntropyMatchesPyTorchValue() throws {
    // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 3.], [1., 0., -1.]]), torch.tensor([2, 0])) = 0.4076
    let logits = try Tensor([[1, 2, 3], [1, 0, -1]])
    let loss = try crossEntropy(logits: logits, targets: Tensor([2, 0]))
    #expect(abs(try loss.item() - 0.40760596) < 1e-6)
    logits.requiresGrad = true
    #expect(try crossEntropy(logits: logits, targets: Tensor([2, 0])).gradFn?.name == "NllLossBackward0")
    #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: Tensor([3, 0])) }
    #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: Tensor([0.5, 0])) }
    #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: Tensor([0])) }
}

@Test func lossesHaveCorrectGradients() throws {
    let logits = sample([4, 5], seed: 51), targets = Tensor([0, 4, 2, 2])
    try checkGradients([logits]) { try crossEntropy(logits: $0[0], targets: targets) }
    try checkGradients([logits]) { try crossEntropy(logits: $0[0], targets: targets, reduction: .sum) }
    try checkGradients([logits]) { try crossEntropy(logits: $0[0], targets: targets, reduction: .none) }
    try checkGradients([sample([5], seed: 52)]) { try crossEntropy(logits: $0[0], targets: Tensor(scalar: 3)) }
    try checkGradients([logits]) { try nllLoss($0[0].logSoftmax(dim: 1), targets: targets) }
    let a = sample([3, 2], seed: 53), b = sample([3, 2], seed: 54)
    try checkGradients([a, b]) { try mseLoss($0[0], $0[1]) }
    try checkGradients([a, b]) { try mseLoss($0[0], $0[1], reduction: .sum) }
    try checkGradients([a, b]) { try mseLoss($0[0], $0[1], reduction: .none) }
    #expect(throws: TensorError.self) { try mseLoss(a, Tensor.zeros([2, 3])) }
    #expect(abs(try mseLoss(Tensor([1, 2]), Tensor([0, 0])).item() - 2.5) < 1e-7)
}

@Test func embeddingPicksRowsAndScattersGradients() throws {
    let weight = sample([5, 3], seed: 61)
    let indices = try Tensor([[1, 4], [1, 0]])
    let out = try embedding(indices: indices, weight: weight)
    #expect(out.shape == [2, 2, 3])
    #expect(try out[1][0].toArray() == weight[1].toArray())
    try checkGradients([weight]) { try embedding(indices: indices, weight: $0[0]) }
    #expect(throws: TensorError.self) { try embedding(indices: Tensor([5]), weight: weight) }
}

@Test func layerNormNormalisesAndHasCorrectGradients() throws {
    let x = sample([2, 3, 4], seed: 71, low: -2, high: 2)
    let y = try layerNorm(x, normalizedShape: [4])
    #expect(close(try y.mean(dim: -1).toArray(), [Float](repeating: 0, count: 6), tolerance: 1e-5))
    let w = sample([4], seed: 72, low: 0.5, high: 1.5), b = sample([4], seed: 73)
    try checkGradients([x, w, b]) { try layerNorm($0[0], normalizedShape: [4], weight: $0[1], bias: $0[2]) }
    try checkGradients([x]) { try layerNorm($0[0], normalizedShape: [3, 4]) }
    #expect(throws: TensorError.self) { try layerNorm(x, normalizedShape: [3]) }
}

@Test func whereAndDropoutMasks() throws {
    let a = sample([2, 3], seed: 81), b = sample([3], seed: 82)
    let condition = try Tensor([1, 0, 1], shape: [3]).gt(0.5)
    #expect(try `where`(condition: condition, a, b).toArray()[1] == b.toArray()[1])
    try checkGradients([a, b]) { try `where`(condition: condition, $0[0], $0[1]) }
    var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
    let m1 = try Tensor.dropoutMask([1000], probability: 0.25, generator: &g1)
    let m2 = try Tensor.dropoutMask([1000], probability: 0.25, generator: &g2)
    #expect(m1.toArray() == m2.toArray())
    #expect(Set(m1.toArray()).isSubset(of: [0, Float(1) / 0.75]))
    let dropped = m1.toArray().filter { $0 == 0 }.count
    #expect(dropped > 200 && dropped < 300)
    let x = sample([4, 4], seed: 83)
    try checkGradients([x]) { try $0[0] * m1.slice(dim: 0, end: 16).reshape([4, 4]) }
    #expect(throws: TensorError.self) { try Tensor.dropoutMask([2], probability: 1.5, generator: &g1) }
}
