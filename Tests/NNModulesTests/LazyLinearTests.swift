import NNCore
import Testing
@testable import NNModules

@Suite struct LazyLinearTests {
    @Test func readingTheWeightBeforeInitialisationIsAClearError() throws {
        let layer = LazyLinear(8)
        let error = try #require(throws: ModuleError.self) { try layer.weight }
        #expect(error.message == "LazyLinear(out=8): weight is not initialised: run a forward pass or load a state dict first")
        #expect(error.kind == .uninitialisedParameter)
        #expect(throws: ModuleError.self) { try layer.parameter("bias") }
        #expect(layer.typeName == "LazyLinear")
        #expect(layer.weightSlot.shape == LazyShape([8, nil]))
    }

    @Test func firstInputFixesTheWidthAndDefaultInitBounds() throws {
        let layer = LazyLinear(8)
        let y = try layer(Tensor.rand([3, 25]))
        #expect(y.shape == [3, 8])
        #expect(layer.inFeatures == 25)
        #expect(layer.typeName == "Linear")
        let bound: Float = 1 / 5
        #expect(try layer.weight.toArray().allSatisfy { abs($0) <= bound })
        #expect(try layer.bias!.toArray().allSatisfy { abs($0) <= bound })
        // A later input of another width is an error naming the layer and the shapes.
        let error = try #require(throws: ModuleError.self) { try layer(Tensor.rand([3, 24])) }
        #expect(error.message == "Linear(25 → 8): input of shape [3, 24] has 24 features, expected 25")
    }

    @Test func linearRejectsTheWrongWidthAndScalars() throws {
        let layer = Linear(4, 2, bias: false)
        #expect(try layer.bias == nil)
        #expect(layer.namedParameters().map(\.name) == ["weight"])
        #expect(throws: ModuleError.self) { try layer(Tensor.rand([2, 3])) }
        #expect(throws: ModuleError.self) { try layer(Tensor(scalar: 1)) }
        // Batched inputs use the last dimension.
        #expect(try layer(Tensor.rand([5, 3, 4])).shape == [5, 3, 2])
    }
}
