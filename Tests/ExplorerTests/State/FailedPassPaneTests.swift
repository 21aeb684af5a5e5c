import ModelFiles
import NNCore
import Testing
@testable import Explorer

/// After `f` fails part-way, each module's pane says what happened to it in that pass: a call that threw names the
/// error, a module the pass never reached says so (not "no forward pass yet"), and a module that ran before the
/// failure still shows its output. A successful pass clears the notes.
@Suite struct FailedPassPaneTests {
    static func detail(_ state: ExplorerState, _ path: String) throws -> ModuleDetailViewModel {
        #expect(state.select(path: path))
        guard case .module(let detail) = state.detail else { throw ExplorerError("\(path) is not a module") }
        return detail
    }

    @Test func modulePanesSayWhereTheLastPassFailed() throws {
        let state = try ExplorerState(model: try ModelLoader.load("sequential"))
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")
        let good = try #require(state.run.input)

        state.run.input = Tensor.zeros([2, 7])
        state.handle(.forward)
        #expect(state.status.isError)
        let threw = try Self.detail(state, "0")
        #expect(threw.message?.hasPrefix("no output: this call threw in the last pass: ") == true, "\(threw.message ?? "nil")")
        #expect(threw.outputGrid == nil)
        let unreached = try Self.detail(state, "2")
        #expect(unreached.message?.hasPrefix("not reached: the last pass failed before this module: ") == true,
                "\(unreached.message ?? "nil")")

        state.run.input = good
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(try Self.detail(state, "0").message == nil)
        #expect(try Self.detail(state, "2").outputGrid != nil)
    }
}
