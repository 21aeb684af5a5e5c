import NNCore
import Testing
@testable import NNModules

@Suite struct StateDictTests {
    @Test func roundTripCopiesValuesInPlaceAndKeepsTies() throws {
        let source = BookNetworks.tied()
        let target = BookNetworks.tied()
        _ = try source(Tensor.rand([2, 4]))
        _ = try target(Tensor.rand([2, 4]))
        let targetWeight = try target[2].parameter("weight")
        try target.loadStateDict(source.stateDict())
        #expect(try target[2].parameter("weight") === targetWeight)
        #expect(try target[4].parameter("weight") === targetWeight)
        #expect(try targetWeight.equal(source[2].parameter("weight")))
        #expect(try target[6].parameter("bias").equal(source[6].parameter("bias")))
        // Loading is not recorded in the graph.
        #expect(targetWeight.isLeaf && targetWeight.grad == nil)
    }

    @Test func loadingMaterialisesLazyParametersWithTheLoadedShape() throws {
        let source = BookNetworks.chimera()
        _ = try source(Tensor.rand([2, 20]))
        let target = BookNetworks.chimera()
        #expect(try target[1].summary == "LazyLinear(? → 20)")
        try target.loadStateDict(source.stateDict())
        let linear = try #require(try target[1] as? Linear)
        #expect(linear.inFeatures == 16)
        #expect(try linear.weight.shape == [20, 16])
        #expect(try linear.weight.requiresGrad)
        #expect(try target(Tensor.ones([2, 20])).item() == source(Tensor.ones([2, 20])).item())
        #expect(try target.stateDict()["2.rand_weight"]!.equal(source.stateDict()["2.rand_weight"]!))
    }

    @Test func stateDictListsUninitialisedParametersWithPartialShape() throws {
        let net = BookNetworks.sequential()
        let entries = net.stateDict().entries
        #expect(entries.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(entries.map(\.shape.description) == ["[256, ?]", "[256]", "[10, ?]", "[10]"])
        #expect(entries.allSatisfy { $0.tensor == nil })
        #expect(net.namedParameters().map { $0.slot.isInitialised } == [false, false, false, false])
    }

    @Test func strictLoadListsMissingUnexpectedAndMismatchedNames() throws {
        let net = Sequential(Linear(3, 2), ReLU(), Linear(2, 1))
        let bad = StateDict([
            ("0.weight", Tensor.zeros([2, 3])),
            ("0.bias", Tensor.zeros([5])),
            ("2.weight", Tensor.zeros([1, 2])),
            ("extra.weight", Tensor.zeros([1])),
        ])
        let before = try net[0].parameter("weight").clone()
        let error = try #require(throws: StateDictError.self) { try net.loadStateDict(bad) }
        #expect(error.missing == ["2.bias"])
        #expect(error.unexpected == ["extra.weight"])
        #expect(error.mismatched == ["0.bias (expected [2], got [5])"])
        #expect(error.description.contains("missing: 2.bias"))
        // Nothing was changed by the failed load.
        #expect(try net[0].parameter("weight").equal(before))
    }

    @Test func nonStrictLoadAllowsPartialStateDictsButNotShapeMismatches() throws {
        let net = Sequential(Linear(3, 2), ReLU(), Linear(2, 1))
        let report = try net.loadStateDict(StateDict([("0.weight", Tensor.ones([2, 3])), ("x", Tensor.ones([1]))]),
                                           strict: false)
        #expect(report.missing == ["0.bias", "2.weight", "2.bias"])
        #expect(report.unexpected == ["x"])
        #expect(try net[0].parameter("weight").toArray() == [Float](repeating: 1, count: 6))
        #expect(throws: StateDictError.self) {
            try net.loadStateDict(StateDict([("0.weight", Tensor.ones([3, 3]))]), strict: false)
        }
    }

    @Test func tiedLazyLayerLoadedWithConflictingShapesIsAMismatch() throws {
        let net = BookNetworks.tied()
        var dict = StateDict()
        for (name, shape) in [("0.weight", [8, 4]), ("0.bias", [8]), ("2.weight", [8, 8]), ("2.bias", [8]),
                              ("4.weight", [8, 7]), ("4.bias", [8]), ("6.weight", [1, 8]), ("6.bias", [1])] {
            dict.append(name, Tensor.zeros(shape))
        }
        let error = try #require(throws: StateDictError.self) { try net.loadStateDict(dict) }
        #expect(error.mismatched == ["4.weight (expected [8, 8], got [8, 7])"])
        #expect(try net[2].summary == "LazyLinear(? → 8)")
    }
}
