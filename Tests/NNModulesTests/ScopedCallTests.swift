import NNCore
import NNModules
import Testing

/// A module with two inputs and a structured output, as transformers' blocks are: `scopedCall` attributes its
/// ops and its children's to the right paths and records the call in the forward trace.
private final class PairBlock: Module {
    struct Output {
        let sum: Tensor
        let product: Tensor
    }

    let projection: Linear

    init(sharing projection: Linear) {
        self.projection = projection
        super.init()
        addModule("left", projection)
        addModule("right", projection)
    }

    /// Two inputs in, two tensors out; the one Linear is applied under each of its names.
    func callAsFunction(_ a: Tensor, _ b: Tensor) throws -> Output {
        try scopedCall(inputShape: a.shape, recordedOutput: { $0.sum }) {
            let left = try callChild("left", a), right = try callChild("right", b)
            return Output(sum: try left + right, product: try left * right)
        }
    }
}

private final class PairModel: Module {
    let block: PairBlock

    override init() {
        Tensor.manualSeed(3)
        block = PairBlock(sharing: Linear(3, 2))
        super.init()
        addModule("block", block)
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let output = try block(x, x * 2)
        return try output.sum + output.product
    }
}

@Test func scopedCallsRecordAndAttributeLikeModuleCalls() throws {
    let model = PairModel()
    let x = try Tensor([[1, 2, 3], [0.5, -1, 2]])
    try model(x).sum().backward()
    let trace = try #require(model.lastForward)
    #expect(trace.records.map(\.path) == ["", "block", "block.left", "block.right"])
    #expect(trace.lastRecord(at: "block")?.typeName == "PairBlock")
    #expect(trace.lastRecord(at: "block")?.inputShapes == [[2, 3]])
    #expect(trace.lastRecord(at: "block")?.outputShape == [2, 2])
    // The shared weight's gradient splits into its two uses, which add up to the whole.
    let weight = try model.block.projection.parameter("weight")
    let contributions = weight.gradientContributions
    #expect(contributions.map(\.site) == ["block.left", "block.right"])
    let total = try contributions[0].gradient + contributions[1].gradient
    #expect(total.allClose(try #require(weight.grad), rtol: 1e-6, atol: 1e-6))
}

@Test func aFailedScopedCallRecordsWhereItStopped() throws {
    let block = PairBlock(sharing: Linear(3, 2))
    let mismatch = #expect(throws: ModuleError.self) { try block(Tensor.zeros([2, 4]), Tensor.zeros([2, 4])) }
    #expect(mismatch?.kind == .shapeMismatch)
    // The trace of the failed call: the root and the first use of the shared layer, neither with an output.
    #expect(block.lastForward?.records.map(\.path) == ["", "left"])
    #expect(block.lastForward?.records.allSatisfy { $0.outputShape == nil } == true)
    // The next successful call starts a fresh trace.
    _ = try block(Tensor.zeros([1, 3]), Tensor.ones([1, 3]))
    #expect(block.lastForward?.records.map(\.path) == ["", "left", "right"])
}

/// A model that calls the blocks of a list one by one, as transformers' models call a ModuleList's layers.
private final class ListModel: Module {
    let blocks = Module()

    override init() {
        Tensor.manualSeed(5)
        super.init()
        blocks.addModule("0", Linear(3, 3))
        blocks.addModule("1", Linear(3, 3))
        addModule("h", blocks)
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        var hidden = x
        for block in blocks.children() {
            hidden = try blocks.containerScope { try block(hidden) }
        }
        return hidden
    }
}

@Test func containerScopeGivesPathsButNoRecordOfTheContainer() throws {
    let model = ListModel()
    try model(try Tensor([[1, 2, 3]])).sum().backward()
    let trace = try #require(model.lastForward)
    // PyTorch never calls a ModuleList, so no hook fires for it: its blocks are recorded, the list is not.
    #expect(trace.records.map(\.path) == ["", "h.0", "h.1"])
    let weight = try #require(model.blocks.child("1")).parameter("weight")
    #expect(weight.gradientContributions.map(\.site) == ["h.1"])
}
