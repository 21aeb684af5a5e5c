import NNCore
import Testing
import TestSupport

@Test func crossEntropyIgnoresTargetsEqualToIgnoreIndex() throws {
    // F.cross_entropy(torch.tensor([[1., 2., 3.], [1., 0., -1.], [0., 5., 0.]]), torch.tensor([2, -100, 0]),
    // ignore_index=-100) = mean of rows 0 and 2 = (0.40760596 + 5.0134) / 2
    let logits = try Tensor([[1, 2, 3], [1, 0, -1], [0, 5, 0]])
    let loss = try crossEntropy(logits: logits, targets: Tensor([2, -100, 0]), ignoreIndex: -100)
    let row0 = try crossEntropy(logits: logits.row(0), targets: Tensor(scalar: 2)).item()
    let row2 = try crossEntropy(logits: logits.row(2), targets: Tensor(scalar: 0)).item()
    #expect(abs(try loss.item() - (row0 + row2) / 2) < 1e-6)
    #expect(abs(try crossEntropy(logits: logits, targets: Tensor([2, -100, 0]), ignoreIndex: -100, reduction: .sum).item()
                - (row0 + row2)) < 1e-5)
    // Without ignoreIndex, -100 is not a class.
    #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: Tensor([2, -100, 0])) }
    // All ignored: NaN, as PyTorch.
    #expect(try crossEntropy(logits: logits, targets: Tensor([-100, -100, -100]), ignoreIndex: -100).item().isNaN)
}

@Test func ignoredRowsGetNoGradient() throws {
    let logits = sample([4, 5], seed: 61), targets = Tensor([0, -100, 2, -100])
    try checkGradients([logits]) { try crossEntropy(logits: $0[0], targets: targets, ignoreIndex: -100) }
    try checkGradients([logits]) { try crossEntropy(logits: $0[0], targets: targets, ignoreIndex: -100, reduction: .sum) }
    logits.requiresGrad = true
    try crossEntropy(logits: logits, targets: targets, ignoreIndex: -100).backward()
    let grad = try #require(logits.grad)
    #expect(try grad.row(1).toArray().allSatisfy { $0 == 0 } && grad.row(3).toArray().allSatisfy { $0 == 0 })
}
