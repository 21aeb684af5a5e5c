import NNCore
import Testing
@testable import NNModules
import TestSupport

/// Finite-difference checks of each layer's backward, through the module call (so use sites are active too).
/// Each loss is `sum(layer(x) · R)` with a fixed random R, so every output element gets a different weight.
@Suite struct LayerGradientTests {
    func check(_ layer: Module, input: Tensor, checkInput: Bool = true, h: Float = 1e-2) throws {
        var generator = SeededGenerator(seed: 3)
        let probe = try layer(input)
        let weights = Tensor.randn(probe.shape, generator: &generator)
        let loss = { try (layer(input) * weights).sum() }
        if checkInput { input.requiresGrad = true }
        layer.zeroGrad()
        try loss().backward()
        for parameter in layer.namedParameters() {
            try expectGradientMatchesFiniteDifferences(of: loss, at: try parameter.slot.tensor(), h: h)
        }
        if checkInput {
            try expectGradientMatchesFiniteDifferences(of: loss, at: input, h: h)
        }
    }

    func input(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.randn(shape, generator: &generator)
    }

    @Test func linear() throws { try check(Linear(4, 3), input: input([2, 4])) }
    @Test func lazyLinear() throws { try check(LazyLinear(3), input: input([2, 5])) }
    @Test func layerNorm() throws {
        let layer = try LayerNorm([2, 3])
        // Non-trivial affine parameters so their gradients are checked away from ones and zeros.
        try Init.normal(mean: 1, std: 0.5)(try layer.parameter("weight"))
        try Init.normal(std: 0.5)(try layer.parameter("bias"))
        try check(layer, input: input([2, 2, 3]))
    }
    @Test func embedding() throws {
        let layer = try Embedding(5, 3)
        try check(layer, input: Tensor([0, 3, 3, 1], shape: [2, 2]), checkInput: false)
    }
    @Test func geluExact() throws { try check(GELU(), input: input([2, 5])) }
    @Test func geluTanh() throws { try check(GELU(approximate: .tanh), input: input([2, 5])) }
    @Test func activations() throws {
        // ReLU away from its kink, where central differences are exact.
        let awayFromZero = input([3, 4]).toArray().map { $0 + ($0 < 0 ? -0.1 : 0.1) }
        try check(ReLU(), input: try Tensor(awayFromZero, shape: [3, 4]))
        try check(Sigmoid(), input: input([3, 4]))
        try check(Tanh(), input: input([3, 4]))
        try check(Softmax(dim: 1), input: input([3, 4]))
        try check(Flatten(), input: input([2, 3, 2]))
    }
    @Test func tiedNetwork() throws {
        // Seeded parameters (not the shared process generator) so the ReLU pattern, and the test, are fixed.
        let net = BookNetworks.tied()
        let x = input([2, 4])
        _ = try net(x)
        var generator = SeededGenerator(seed: 11)
        for parameter in net.parameters() {
            try Init.normal(std: 0.5)(try parameter.tensor(), generator: &generator)
        }
        try check(net, input: x, h: 1e-3)
    }

    @Test func losses() throws {
        let output = input([3, 4])
        output.requiresGrad = true
        let classes = try Tensor([0, 3, 2], shape: [3])
        let target = input([3, 4], seed: 2)
        for (loss, target) in [(Loss.sum, nil), (.mean, nil), (.mse, target), (.crossEntropy, classes)] as [(Loss, Tensor?)] {
            output.zeroGrad()
            let value = { try loss(output: output, target: target) }
            try value().backward()
            try expectGradientMatchesFiniteDifferences(of: value, at: output)
        }
    }

    @Test func lossesByNameAndTheirErrors() throws {
        #expect(try Loss(parsing: "cross-entropy") == .crossEntropy)
        #expect(try Loss(parsing: "cross_entropy") == .crossEntropy)
        #expect(try Loss(parsing: "MSE") == .mse)
        #expect(Loss.allCases.map(\.description) == ["sum", "mean", "mse", "cross-entropy"])
        #expect(throws: ModuleError.self) { try Loss(parsing: "hinge") }
        #expect(throws: ModuleError.self) { try Loss.mse(output: Tensor.ones([2])) }
        // mean of [1, 2, 3, 4] and mse against zeros: (1 + 4 + 9 + 16) / 4
        let values = try Tensor([1, 2, 3, 4], shape: [4])
        #expect(try Loss.mean(output: values).item() == 2.5)
        #expect(try Loss.mse(output: values, target: Tensor.zeros([4])).item() == 7.5)
        // cross-entropy of uniform logits over 4 classes is log 4
        let uniform = try Loss.crossEntropy(output: Tensor.zeros([2, 4]), target: Tensor([1, 2], shape: [2]))
        #expect(try abs(uniform.item() - 1.3862944) < 1e-6)
    }
}
