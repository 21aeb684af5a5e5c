import Foundation
import NNCore
import NNModules
import Testing
@testable import Explorer

/// NaN/Inf in a forward pass: the status line names the first module (in call order) whose output went
/// non-finite, and `N` moves the tree cursor there.
@Suite struct NonFiniteOutputTests {
    @Test func theFirstBadOutputIsNamedAndNJumpsToIt() throws {
        let state = try openBuiltin("tied")
        try press(state, "N")
        #expect(state.status.isError && state.status.text.contains("no module output was NaN or Inf"))
        // 3e38 is finite, but 0's output (a sum of four such products) overflows.
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab F text:3e38 Enter")
        #expect(state.select(path: "0.bias"))
        try press(state, "F text:3e38 Enter Tab f")
        #expect(state.status.isError)
        #expect(state.status.text.contains("first non-finite output: 0 (call 1) (Linear): N jumps there"), "\(state.status.text)")
        #expect(state.nonFiniteOutput == NonFiniteOutput(path: "0", callNumber: 1, typeName: "Linear"))
        #expect(state.select(path: "6.bias"))
        try press(state, "N")
        #expect(state.selectedPath == "0")
        // Once the values are finite again the next forward pass forgets it.
        try press(state, "u u f")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.nonFiniteOutput == nil)
    }

    @Test func aSharedLayersSecondCallIsNamedByItsCall() throws {
        // One Linear at 0 and 2 (3e38 on its diagonal): its first call sees 1e-38 and gives 3, its second call
        // sees 3 and overflows. The first bad output is call 2, at 2.
        let shared = Linear(2, 2)
        try shared.weight.copyData(from: Tensor([3e38, 0, 0, 3e38], shape: [2, 2]))
        try shared.bias!.copyData(from: Tensor([0, 0], shape: [2]))
        let middle = Linear(2, 2)
        try middle.weight.copyData(from: Tensor([1, 0, 0, 1], shape: [2, 2]))
        try middle.bias!.copyData(from: Tensor([0, 0], shape: [2]))
        let model = Sequential([shared, middle, shared])
        model.activationCapture = try ActivationCapture(budgetBytes: 1 << 20)
        _ = try Autograd.noGrad { try model(try Tensor([1e-38, 1e-38], shape: [1, 2])) }
        let bad = try #require(NonFiniteOutput.find(capture: model.activationCapture, trace: model.lastForward))
        #expect(bad == NonFiniteOutput(path: "2", callNumber: 2, typeName: "Linear"))
        #expect(bad.statusText == "first non-finite output: 2 (call 2)")
        // Without a capture the trace names the same place (its calls counted per path).
        let fromTrace = try #require(NonFiniteOutput.find(capture: nil, trace: model.lastForward))
        #expect(fromTrace.path == "2")
        // A finite pass has none.
        _ = try Autograd.noGrad { try model(try Tensor([0, 0], shape: [1, 2])) }
        #expect(NonFiniteOutput.find(capture: model.activationCapture, trace: model.lastForward) == nil)
    }
}
