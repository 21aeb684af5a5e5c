import NNCore
import Testing
@testable import NNModules
import TestSupport

/// The book's custom layers (6.5): CenteredLayer without parameters, MyLinear with parameters read through `.data`.
@Suite struct CustomLayerTests {
    @Test func centeredLayerOutputHasMeanZeroAndAGradientThroughIt() throws {
        let centered = CenteredLayer()
        let y = try centered(try Tensor([1, 2, 3, 4, 5], shape: [5]))
        #expect(y.toArray() == [-2, -1, 0, 1, 2])
        #expect(centered.namedParameters().isEmpty)

        var generator = SeededGenerator(seed: 5)
        let net = Sequential(Linear(8, 16), CenteredLayer())
        let x = Tensor.rand([4, 8], generator: &generator)
        let mean = try net(x).mean().item()
        #expect(abs(mean) < 1e-6, "the book's Y.mean() is ~0, got \(mean)")

        // (y²).sum() so the gradient is not identically zero (a centred sum is).
        let loss = { () throws -> Tensor in
            let y = try net(x)
            return try (y * y).sum()
        }
        try loss().backward()
        try expectGradientMatchesFiniteDifferences(of: loss, at: try net[0].parameter("weight"))
    }

    @Test func myLinearComputesReluOfTheProductAndItsParametersGetNoGradient() throws {
        let layer = MyLinear(5, 3)
        let weight = try layer.parameter("weight"), bias = try layer.parameter("bias")
        #expect(weight.shape == [5, 3])
        #expect(bias.shape == [3])
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.summary == "MyLinear(5 → 3)")

        let x = Tensor.rand([2, 5])
        let expected = try (x.matmul(weight.detach()) + bias.detach()).relu().toArray()
        #expect(try layer(x).toArray() == expected)

        // Through `.data` the product is not recorded for the parameters; a layer before it still learns.
        let net = Sequential(Linear(4, 5), ReLU(), layer)
        let y = try net(Tensor.rand([2, 4]))
        if y.requiresGrad { try y.sum().backward() }
        #expect(weight.grad == nil)
        #expect(bias.grad == nil)
    }

    @Test func registryAndSpecBuildBothLayers() throws {
        let registry = ModuleRegistry.shared
        let centered = try registry.make("CenteredLayer", ModuleArguments())
        #expect(centered is CenteredLayer)
        var arguments = ModuleArguments()
        arguments.keyword = [("in_units", .int(64)), ("units", .int(8))]
        let myLinear = try #require(try registry.make("MyLinear", arguments) as? MyLinear)
        #expect(try myLinear.parameter("weight").shape == [64, 8])
        var wrong = ModuleArguments()
        wrong.positional = [.int(3)]
        #expect(throws: ModuleError(.invalidArgument, "MyLinear: missing argument 'units'")) { try registry.make("MyLinear", wrong) }
    }
}
