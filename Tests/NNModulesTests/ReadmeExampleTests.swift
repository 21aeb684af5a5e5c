import NNCore
import NNModules
import Testing

/// The README's library example, line for line: if this breaks, the README is wrong.
@Suite struct ReadmeExampleTests {
    @Test func firstCellAndTiedGradients() throws {
        let net = Sequential(LazyLinear(256), ReLU(), LazyLinear(10))
        let X = Tensor.rand([2, 20])
        #expect(try net(X).shape == [2, 10])

        let shared = LazyLinear(8)
        let tied = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
        try tied(Tensor.rand([2, 4])).sum().backward()
        let weight = try tied[2].parameter("weight")
        #expect(weight.gradientContributions.map(\.site) == ["2", "4"])
    }
}
