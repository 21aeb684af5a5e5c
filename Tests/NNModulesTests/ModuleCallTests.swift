import NNCore
import Testing
@testable import NNModules

/// Call-site paths: ops inside a module call remember the dotted path of that call.
@Suite struct ModuleCallTests {
    @Test func nestedPathsFollowTheTreeForEveryKindOfParent() throws {
        let net = BookNetworks.chimera()
        try net(Tensor.rand([2, 20])).backward()
        let trace = try #require(net.lastForward)
        #expect(trace.records.map(\.path)
            == ["", "0", "0.net", "0.net.0", "0.net.1", "0.net.2", "0.net.3", "0.linear", "1", "2", "2.linear", "2.linear"])
        #expect(trace.lastRecord(at: "0.net.2")?.outputShape == [2, 32])
        #expect(trace.lastRecord(at: "")?.outputShape == [])
        // The FixedHiddenMLP's linear is used twice from one site: one contribution, the whole gradient.
        let weight = try #require(net.module(at: "2.linear")).parameter("weight")
        #expect(weight.gradientContributions.map(\.site) == ["2.linear"])
        #expect(try #require(net.module(at: "0.net.0")).parameter("bias").gradientContributions.map(\.site) == ["0.net.0"])
    }

    @Test func aFailedForwardIsTheLastTraceAndShowsWhereItStopped() throws {
        let net = Sequential(ReLU(), Linear(3, 2), ReLU())
        _ = try net(Tensor.rand([1, 3]))
        #expect(throws: ModuleError.self) { try net(Tensor.rand([1, 4])) }
        let trace = try #require(net.lastForward)
        #expect(trace.records.map(\.path) == ["", "0", "1"])
        #expect(trace.lastRecord(at: "0")?.output?.shape == [1, 4])
        #expect(trace.lastRecord(at: "1")?.inputShapes == [[1, 4]])
        #expect(trace.lastRecord(at: "1")?.outputShape == nil && trace.lastRecord(at: "")?.outputShape == nil)
        #expect(trace.lastRecord(at: "2") == nil)
    }

    @Test func theNextForwardLetsGoOfTheLastOutputs() throws {
        // Two passes' activations are never kept at once: the old trace keeps its calls, not their outputs.
        let net = Sequential(Linear(3, 2))
        _ = try net(Tensor.rand([1, 3]))
        let first = try #require(net.lastForward)
        #expect(first.lastRecord(at: "0")?.output?.shape == [1, 2])
        _ = try net(Tensor.rand([5, 3]))
        #expect(first.lastRecord(at: "0")?.output == nil && first.lastRecord(at: "0")?.outputShape == [1, 2])
        #expect(net.lastForward?.lastRecord(at: "0")?.output?.shape == [5, 2])
        // A failed pass lets go of them too, and its own trace has the call that threw, without output.
        let second = try #require(net.lastForward)
        #expect(throws: ModuleError.self) { try net(Tensor.rand([1, 4])) }
        #expect(second.lastRecord(at: "0")?.output == nil && second.lastRecord(at: "0")?.outputShape == [5, 2])
        #expect(net.lastForward?.lastRecord(at: "0")?.inputShapes == [[1, 4]])
        #expect(net.lastForward?.lastRecord(at: "0")?.outputShape == nil)
    }

    @Test func modulesAreListedOnceEvenWhenShared() throws {
        let net = BookNetworks.tied()
        #expect(net.namedModules().map(\.name) == ["", "0", "1", "2", "3", "5", "6"])
        #expect(net.modules().count == 7)
        #expect(net.module(at: "4") === net.module(at: "2"))
        #expect(net.module(at: "9") == nil)
        #expect(try net.nameOfChild(net[4]) == "2")
    }

    @Test func trainAndEvalReachEveryModule() {
        let net = BookNetworks.chimera()
        net.eval()
        #expect(net.modules().allSatisfy { !$0.isTraining })
        net.train()
        #expect(net.modules().allSatisfy { $0.isTraining })
    }
}
