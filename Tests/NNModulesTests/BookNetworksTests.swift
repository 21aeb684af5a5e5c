import NNCore
import Testing
@testable import NNModules

/// Every cell of the book's Builder's Guide (6.1–6.4) on this library.
@Suite struct BookNetworksTests {
    let x = Tensor.rand([2, 20])

    @Test func sequentialOutputShapeAndStateDict() throws {
        let net = BookNetworks.sequential()
        #expect(try net(x).shape == [2, 10])
        #expect(net.stateDict().keys == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(try net[2].parameter("weight").shape == [10, 256])
        #expect(try net[0].parameter("weight").shape == [256, 20])
    }

    @Test func mlpHasHiddenAndOut() throws {
        let net = BookNetworks.mlp()
        #expect(try net(x).shape == [2, 10])
        #expect(net.namedParameters().map(\.name) == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"])
    }

    @Test func mySequentialAddsChildrenByIndex() throws {
        let net = MySequential(LazyLinear(256), ReLU(), LazyLinear(10))
        #expect(try net(x).shape == [2, 10])
        #expect(net.namedChildren().map(\.name) == ["0", "1", "2"])
        #expect(net.stateDict().keys == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }

    @Test func fixedHiddenMLPReturnsAScalarBelowOneAndKeepsRandWeightAsBuffer() throws {
        let net = FixedHiddenMLP()
        let y = try net(x)
        #expect(y.shape == [])
        #expect(net.namedParameters().map(\.name) == ["linear.weight", "linear.bias"])
        #expect(net.stateDict().keys == ["rand_weight", "linear.weight", "linear.bias"])
        #expect(net.stateDict().entries[0].isBuffer)
        #expect(net.randWeight.requiresGrad == false)
        // The same linear layer is called twice, both calls recorded at its path.
        #expect(net.lastForward?.records(at: "linear").count == 2)
    }

    @Test func nestMLPOutputShape() throws {
        let net = BookNetworks.nest()
        #expect(try net(x).shape == [2, 16])
        #expect(net.namedParameters().map(\.name)
            == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "linear.weight", "linear.bias"])
    }

    @Test func chimeraNamesEqualPyTorch() throws {
        let net = BookNetworks.chimera()
        let y = try net(x)
        #expect(y.shape == [])
        let parameters = ["0.net.0.weight", "0.net.0.bias", "0.net.2.weight", "0.net.2.bias", "0.linear.weight",
                          "0.linear.bias", "1.weight", "1.bias", "2.linear.weight", "2.linear.bias"]
        #expect(net.namedParameters().map(\.name) == parameters)
        let keys = net.stateDict().keys
        #expect(Set(keys) == Set(parameters + ["2.rand_weight"]))
        #expect(keys.count == 11)
        #expect(net.namedBuffers().map(\.name) == ["2.rand_weight"])
        #expect(net.namedModules().map(\.name)
            == ["", "0", "0.net", "0.net.0", "0.net.1", "0.net.2", "0.net.3", "0.linear", "1", "2", "2.linear"])
    }

    @Test func parameterAccessAndGradNilBeforeBackward() throws {
        let net = BookNetworks.sequential()
        _ = try net(x)
        let bias = try net[2].parameter("bias")
        #expect(bias.shape == [10])
        #expect(bias.grad == nil)
        #expect(bias.requiresGrad)
        let linear = try #require(try net[2] as? Linear)
        #expect(try linear.bias === bias)
        #expect(net.namedParameters().map { $0.tensor?.shape ?? [] } == [[256, 20], [256], [10, 256], [10]])
    }

    @Test func tiedLayersAreOneObjectAndEditsShowThroughBoth() throws {
        let net = BookNetworks.tied()
        _ = try net(Tensor.rand([2, 4]))
        #expect(try net[2] === net[4])
        let weight = try net[2].parameter("weight")
        try weight.setElement(at: [0, 0], to: 100)
        #expect(try net[4].parameter("weight").element(at: [0, 0]) == 100)
        // Shared parameters once under their first name; the state dict has every path.
        #expect(net.namedParameters().map(\.name)
            == ["0.weight", "0.bias", "2.weight", "2.bias", "6.weight", "6.bias"])
        #expect(net.stateDict().keys
            == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"])
        #expect(net.stateDict()["4.weight"] === weight)
        #expect(net.children().count == 6)
        #expect(net.count == 7)
    }

    @Test func tiedGradientsAddAndSplitByUse() throws {
        let net = BookNetworks.tied()
        let input = Tensor.rand([2, 4])
        try net(input).sum().backward()
        let weight = try net[2].parameter("weight")
        let grad = try #require(weight.grad)
        let sites = weight.gradientContributions.map(\.site)
        #expect(sites.sorted() == ["2", "4"])
        let total = try weight.gradientContributions[0].gradient + weight.gradientContributions[1].gradient
        #expect(total.allClose(grad, rtol: 1e-5, atol: 1e-6))
        #expect(weight.backwardCount == 1)

        // A second backward without zeroing accumulates: the gradient doubles.
        let first = grad.clone()
        try net(input).sum().backward()
        #expect(try weight.grad!.allClose(first * 2, rtol: 1e-5, atol: 1e-6))
        #expect(weight.backwardCount == 2)
        net.zeroGrad()
        #expect(weight.grad == nil)
    }

    @Test func forwardRecordsEveryCallByPath() throws {
        let net = BookNetworks.tied()
        _ = try net(Tensor.rand([2, 4]))
        let trace = try #require(net.lastForward)
        #expect(trace.records.map(\.path) == ["", "0", "1", "2", "3", "4", "5", "6"])
        #expect(trace.lastRecord(at: "4")?.inputShapes == [[2, 8]])
        #expect(trace.lastRecord(at: "6")?.outputShape == [2, 1])
        #expect(trace.lastRecord(at: "")?.output?.requiresGrad == false)
    }

    @Test func descriptionsLookLikePyTorch() throws {
        let net = BookNetworks.sequential()
        #expect(try net[0].summary == "LazyLinear(? → 256)")
        _ = try net(x)
        #expect(try net[0].summary == "Linear(20 → 256)")
        #expect(net.description == """
            Sequential(
              (0): Linear(in_features=20, out_features=256, bias=True)
              (1): ReLU()
              (2): Linear(in_features=256, out_features=10, bias=True)
            )
            """)
        #expect(BookNetworks.nest().description.contains("(net): Sequential(\n    (0): LazyLinear(in_features=0"))
    }

    @Test func badIndexThrows() {
        let net = BookNetworks.sequential()
        #expect(throws: ModuleError.self) { try net[3] }
        #expect(throws: Never.self) { try net[-1] }
    }
}
