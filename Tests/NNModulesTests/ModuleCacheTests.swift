import NNCore
import Testing
@testable import NNModules

/// The cached parameter list `zeroGrad()` and `parameters()` reuse, and the cached type name: both must follow
/// every change to the tree.
@Suite struct ModuleCacheTests {
    func gradients(_ net: Module) -> [Bool] { net.parameters().map { $0.grad != nil } }

    @Test func zeroGradSeesModulesRegisteredAfterTheListWasCached() throws {
        let inner = Sequential(Linear(3, 4))
        let net = Sequential(inner, ReLU())
        try net(Tensor.randn([2, 3])).sum().backward()
        net.zeroGrad()  // caches the list
        #expect(gradients(net) == [false, false])
        // A registration deep inside the tree (not on `net` itself) must reach net's cache.
        inner.append(Linear(4, 5))
        #expect(net.parameters().count == 4)
        try net(Tensor.randn([2, 3])).sum().backward()
        #expect(gradients(net) == [true, true, true, true])
        net.zeroGrad()
        #expect(gradients(net) == [false, false, false, false])
        // Replacing a parameter in place is a registration too.
        let layer = try #require(inner.child("1"))
        let fresh = Tensor.zeros([5])
        layer.registerParameter("bias", fresh)
        #expect(net.parameters().contains { $0.tensorIfInitialised === fresh })
        #expect(net.parameters().map(\.name) == net.namedParameters().map(\.slot.name))
    }

    @Test func materialisingLazySlotsRefreshesTheList() throws {
        let net = BookNetworks.tied()
        let before = net.parameters()
        #expect(before.allSatisfy { !$0.isInitialised })
        try net(Tensor.randn([2, 4])).sum().backward()
        let after = net.parameters()
        #expect(after.allSatisfy { $0.isInitialised })
        #expect(after.map(\.identity) == net.namedParameters().map(\.slot.identity))
        net.zeroGrad()
        #expect(after.allSatisfy { $0.grad == nil })
    }

    @Test func typeNamesStayCorrectWhenCached() throws {
        final class Custom: Module {
            override func forward(_ x: Tensor) throws -> Tensor { x }
        }
        let lazy = LazyLinear(3)
        let net = Sequential(Custom(), lazy)
        #expect(net.typeName == "Sequential" && net.typeName == "Sequential")
        #expect(try net[0].typeName == "Custom")
        #expect(lazy.typeName == "LazyLinear")
        _ = try net(Tensor.randn([1, 2]))
        #expect(lazy.typeName == "Linear")
        _ = try net(Tensor.randn([1, 2]))
        #expect(net.lastForward?.records.map(\.typeName) == ["Sequential", "Custom", "Linear"])
    }
}

/// Module calls find their parent through NNCore's use-site owner: a forward that opens a use site of its own
/// (without an owner) around a child call, or calls a child under `noGrad`, still records the child under its
/// own path in the same trace, and a call that throws leaves no trace of its path behind.
@Suite struct ModuleCallContextTests {
    final class Wrapper: Module {
        let inner = Linear(3, 3)
        var failNext = false
        override init() {
            super.init()
            addModule("inner", inner)
        }
        override func forward(_ x: Tensor) throws -> Tensor {
            if failNext { throw ModuleError(.invalidArgument, "planned failure") }
            let first = try Autograd.withUseSite("custom") { try inner(x) }
            return try Autograd.noGrad { try inner(first) } + first
        }
    }

    @Test func childrenKeepTheirPathsInsidePlainUseSites() throws {
        let outer = Sequential(Wrapper())
        _ = try outer(Tensor.randn([2, 3]))
        #expect(outer.lastForward?.records.map(\.path) == ["", "0", "0.inner", "0.inner"])
        let wrapper = try #require(try outer[0] as? Wrapper)
        wrapper.failNext = true
        #expect(throws: ModuleError.self) { try outer(Tensor.randn([2, 3])) }
        wrapper.failNext = false
        // Called on its own, the wrapper is a root again: the failed call left no active path behind.
        _ = try wrapper(Tensor.randn([2, 3]))
        #expect(wrapper.lastForward?.records.map(\.path) == ["", "inner", "inner"])
        #expect(wrapper.activeCall == nil)
    }
}
