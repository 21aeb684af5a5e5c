import NNCore
import Testing
@testable import NNModules

/// The book's 6.3 parameter initialisation.
@Suite struct InitTests {
    func statistics(_ tensor: Tensor) -> (mean: Double, std: Double, maxAbs: Float) {
        let values = tensor.toArray().map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot(), tensor.toArray().map(abs).max() ?? 0)
    }

    @Test func normalHasTheRequestedMeanAndStd() throws {
        let tensor = Tensor.zeros([200, 100])
        var generator = SeededGenerator(seed: 5)
        try Init.normal(mean: 0, std: 0.01)(tensor, generator: &generator)
        let stats = statistics(tensor)
        #expect(abs(stats.mean) < 3e-4)
        #expect(abs(stats.std - 0.01) < 5e-4)
    }

    @Test func xavierAndKaimingStayWithinTheirBounds() throws {
        let tensor = Tensor.zeros([64, 32])
        var generator = SeededGenerator(seed: 6)
        try Init.xavierUniform()(tensor, generator: &generator)
        let xavierBound = Float(6.0 / 96.0).squareRoot()
        #expect(statistics(tensor).maxAbs <= xavierBound)
        #expect(statistics(tensor).maxAbs > 0.95 * xavierBound)
        // PyTorch's Linear default: kaiming-uniform with a = √5 has bound 1/√fan_in.
        try Init.kaimingUniform()(tensor, generator: &generator)
        #expect(statistics(tensor).maxAbs <= 1 / Float(32).squareRoot() + 1e-7)
        #expect(statistics(tensor).maxAbs > 0.95 / Float(32).squareRoot())
        #expect(throws: ModuleError.self) { try Init.xavierUniform()(Tensor.zeros([4])) }
    }

    @Test func linearDefaultInitMatchesPyTorchBounds() throws {
        let layer = Linear(100, 50)
        let bound = 1 / Float(100).squareRoot()
        #expect(statistics(try layer.weight).maxAbs <= bound)
        #expect(statistics(try layer.weight).maxAbs > 0.9 * bound)
        #expect(statistics(try layer.bias!).maxAbs <= bound)
    }

    @Test func applyInitialisesEveryLinearLayerLikeTheBook() throws {
        let net = BookNetworks.sequential()
        _ = try net(Tensor.rand([2, 20]))
        // init_normal: weight ~ N(0, 0.01), bias zero.
        try net.apply(Init.linear(weight: .normal(std: 0.01), bias: .zeros))
        #expect(try net[0].parameter("bias").toArray().allSatisfy { $0 == 0 })
        #expect(abs(statistics(try net[0].parameter("weight")).std - 0.01) < 1e-3)
        // init_constant: weight 1, bias 0.
        try net.apply(Init.linear(weight: .constant(1), bias: .zeros))
        #expect(try net[2].parameter("weight").toArray().allSatisfy { $0 == 1 })
        // Different inits for different blocks: xavier for 0, constant 42 for 2.
        try Init.linear(weight: .xavierUniform())(try net[0])
        try Init.linear(weight: .constant(42))(try net[2])
        #expect(try net[2].parameter("weight").element(at: [0, 0]) == 42)
        #expect(statistics(try net[0].parameter("weight")).maxAbs <= Float(6.0 / 276.0).squareRoot())
    }

    @Test func customInitLikeTheBooksMyInit() throws {
        let net = BookNetworks.sequential()
        _ = try net(Tensor.rand([2, 20]))
        // my_init: uniform(-10, 10), then zero every |w| < 5.
        let myInit = Init.custom("my_init") { tensor, generator in
            let values = Tensor.uniform(tensor.shape, low: -10, high: 10, generator: &generator).toArray()
            try tensor.copyData(from: Tensor(values.map { abs($0) >= 5 ? $0 : 0 }, shape: tensor.shape))
        }
        try net.apply(Init.linear(weight: myInit))
        let weights = try net[0].parameter("weight").toArray()
        #expect(weights.allSatisfy { $0 == 0 || (abs($0) >= 5 && abs($0) <= 10) })
        #expect(weights.contains { $0 != 0 })
        // Direct edits, as the book's `net[0].weight.data[:] += 1`, are not recorded.
        let weight = try net[0].parameter("weight")
        try Autograd.noGrad { try weight.copyData(from: weight + 1) }
        #expect(weight.isLeaf)
    }

    @Test func namedInitsAndReproducibleSeeds() throws {
        #expect(try Init.named("zeros").name == "zeros")
        #expect(try Init.named("constant", value: 3).name == "constant(3.0)")
        for name in Init.names {
            _ = try Init.named(name)
        }
        #expect(throws: ModuleError.self) { try Init.named("orthogonal") }
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        let x = Tensor.zeros([3, 3]), y = Tensor.zeros([3, 3])
        try Init.named("xavier")(x, generator: &a)
        try Init.named("xavier")(y, generator: &b)
        #expect(x.equal(y))
    }

    @Test func applyVisitsChildrenBeforeParentsLikePyTorch() {
        let inner = Sequential(Identity())
        let net = Sequential(inner, ReLU())
        var visited: [String] = []
        net.apply { visited.append($0 === net ? "net" : $0 === inner ? "inner" : $0.typeName) }
        #expect(visited == ["Identity", "inner", "ReLU", "net"])
    }
}
