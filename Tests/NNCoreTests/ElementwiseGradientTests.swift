import NNCore
import Testing
import TestSupport

// Finite-difference checks for every elementwise op's backward rule.

@Test func binaryOpsWithBroadcastingHaveCorrectGradients() throws {
    let a = sample([2, 3], seed: 1), b = sample([3], seed: 2, low: 0.5, high: 2)
    try checkGradients([a, b]) { try $0[0] + $0[1] }
    try checkGradients([a, b]) { try $0[0] - $0[1] }
    try checkGradients([a, b]) { try $0[0] * $0[1] }
    try checkGradients([a, b]) { try $0[0] / $0[1] }
    // [2, 1] with [1, 3] broadcasts both ways.
    let c = sample([2, 1], seed: 3), d = sample([1, 3], seed: 4, low: 0.5, high: 2)
    try checkGradients([c, d]) { try $0[0] * $0[1] }
    try checkGradients([c, d]) { try $0[0] / $0[1] }
}

@Test func scalarOperandOpsHaveCorrectGradients() throws {
    let a = sample([3, 2], seed: 5, low: 0.5, high: 2)
    try checkGradients([a]) { $0[0] + 2 }
    try checkGradients([a]) { 2 + $0[0] }
    try checkGradients([a]) { $0[0] - 3 }
    try checkGradients([a]) { 3 - $0[0] }
    try checkGradients([a]) { $0[0] * 1.5 }
    try checkGradients([a]) { 1.5 * $0[0] }
    try checkGradients([a]) { $0[0] / 4 }
    try checkGradients([a]) { 4 / $0[0] }
    try checkGradients([a]) { -$0[0] }
    try checkGradients([a]) { var x = $0[0]; x /= 2; x *= 3; x += 1; x -= 0.5; return x }
    try checkGradients([a, sample([2], seed: 6, low: 1, high: 2)]) {
        var x = $0[0]; try x /= $0[1]; try x *= $0[1]; try x += $0[1]; try x -= $0[1]; return x
    }
}

@Test func unaryOpsHaveCorrectGradients() throws {
    // Values kept away from kinks (0 for abs/relu, clamp bounds) so central differences are valid.
    let x = try Tensor([-1.7, -0.6, -0.3, 0.4, 0.8, 1.9], shape: [2, 3])
    let positive = sample([2, 3], seed: 7, low: 0.5, high: 2)
    try checkGradients([x]) { $0[0].neg() }
    try checkGradients([x]) { $0[0].abs() }
    try checkGradients([x]) { $0[0].exp() }
    try checkGradients([positive]) { $0[0].log() }
    try checkGradients([positive]) { $0[0].sqrt() }
    try checkGradients([positive]) { $0[0].pow(2.5) }
    try checkGradients([x]) { $0[0].pow(3) }
    try checkGradients([x]) { $0[0].square() }
    try checkGradients([x]) { $0[0].clamp(min: -1, max: 1) }
    try checkGradients([x]) { $0[0].clamp(min: 0.5) }
    try checkGradients([x]) { $0[0].relu() }
    try checkGradients([x]) { $0[0].sigmoid() }
    try checkGradients([x]) { $0[0].tanh() }
    try checkGradients([x]) { $0[0].gelu() }
    try checkGradients([x]) { $0[0].gelu(approximate: .tanh) }
}

@Test func maximumAndMinimumRouteGradientsToTheWinner() throws {
    let a = sample([2, 3], seed: 8), b = sample([3], seed: 9)
    try checkGradients([a, b]) { try $0[0].maximum($0[1]) }
    try checkGradients([a, b]) { try $0[0].minimum($0[1]) }
    // Ties split the gradient equally, like PyTorch.
    let p = Tensor([1, 2]), q = Tensor([1, 3])
    p.requiresGrad = true; q.requiresGrad = true
    try p.maximum(q).sum().backward()
    #expect(p.grad?.toArray() == [0.5, 0])
    #expect(q.grad?.toArray() == [0.5, 1])
}

@Test func forwardValuesMatchClosedForms() throws {
    let x = Tensor([-2, 0, 1])
    #expect(x.relu().toArray() == [0, 0, 1])
    #expect(x.abs().toArray() == [2, 0, 1])
    #expect(close(x.sigmoid().toArray(), [0.11920292, 0.5, 0.7310586]))
    #expect(close(x.gelu().toArray(), [-0.04550026, 0, 0.8413447]))
    #expect(close(x.gelu(approximate: .tanh).toArray(), [-0.04540231, 0, 0.8411920]))
    #expect(x.clamp(min: -1, max: 0.5).toArray() == [-1, 0, 0.5])
    #expect(try (x + Tensor([[1], [2]])).shape == [2, 3])
}

/// PyTorch's relu keeps NaN (it must not hide a NaN activation as a clean 0), and its backward
/// (`threshold_backward`) passes the gradient wherever the output is not ≤ 0, NaN included.
@Test func reluPropagatesNaNLikePyTorch() throws {
    let x = Tensor([-.nan, -1, -0.0, 0, 2, .nan, -.infinity, .infinity])
    x.requiresGrad = true
    let y = x.relu()
    let values = y.toArray()
    #expect(values[0].isNaN && values[5].isNaN)
    #expect(Array(values[1 ... 4]) == [0, 0, 0, 2] && values[6] == 0 && values[7] == .infinity)
    #expect(values[2].sign == .plus)  // relu(−0) is +0
    try y.backward(gradient: Tensor([1, 2, 3, 4, 5, 6, 7, 8]))
    #expect(x.grad?.toArray() == [1, 0, 0, 0, 5, 6, 0, 8])
    // A NaN flowing back passes where the output is positive and is blocked where it is zero.
    x.zeroGrad()
    try x.relu().backward(gradient: Tensor([.nan, .nan, .nan, .nan, .nan, 1, 1, .nan]))
    let grad = try #require(x.grad).toArray()
    #expect(grad[0].isNaN && grad[4].isNaN && grad[7].isNaN)
    #expect(grad[1] == 0 && grad[2] == 0 && grad[3] == 0 && grad[5] == 1 && grad[6] == 0)
}
