import Foundation
import ModelFiles
import NNCore
import Testing
import TerminalUI
@testable import Explorer

/// A module's detail shows its captured output through the tensor machinery: values equal to the layer computed by
/// hand, the cursor and statistics of a tensor, `g` after `b` the output's gradient, `<` `>` the batch.
@Suite struct ModuleOutputDetailTests {
    static func output(_ state: ExplorerState, sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorDetailViewModel {
        guard case .module(let module) = state.detail else {
            Issue.record("the detail pane does not show a module", sourceLocation: sourceLocation)
            throw ExplorerError("not a module")
        }
        return try #require(module.output, "no captured output", sourceLocation: sourceLocation)
    }

    @Test func firstLinearsOutputIsInputTimesWeightPlusBias() throws {
        let state = try openBuiltin("tied")
        try press(state, "f")
        #expect(state.select(path: "0"))
        let shown = try Self.output(state)
        #expect(shown.shape == [2, 8] && shown.names == ["output of 0"])
        // x W^T + b by hand from the model's own tensors.
        let x = try #require(state.run.input).toArray()
        let w = try #require(state.entries.first { $0.names.contains("0.weight") }?.tensor).toArray()
        let b = try #require(state.entries.first { $0.names.contains("0.bias") }?.tensor).toArray()
        var expected = [Float](repeating: 0, count: 16)
        for i in 0..<2 { for o in 0..<8 {
            expected[i * 8 + o] = b[o] + (0..<4).reduce(Float(0)) { $0 + x[i * 4 + $1] * w[o * 4 + $1] }
        } }
        #expect(abs((shown.cursorValue ?? .nan) - expected[0]) <= 1e-5)
        let mean = expected.reduce(0, +) / 16
        #expect(abs((shown.stats?.mean ?? .nan) - mean) <= 1e-5)
        #expect(shown.histogram != nil)

        // The cursor moves as on a tensor (detail focus): row 1, column 3.
        try press(state, "Tab j l l l")
        let moved = try Self.output(state)
        #expect(moved.cursorIndex == [1, 3])
        #expect(abs((moved.cursorValue ?? .nan) - expected[8 + 3]) <= 1e-5)
    }

    @Test func gAfterBackwardShowsTheOutputsGradient() throws {
        let state = try openBuiltin("tied")
        try press(state, "f")
        #expect(state.select(path: "6"))
        try press(state, "g")
        #expect(try Self.output(state).message == "no gradient yet: press b for a backward pass")
        try press(state, "b")
        let gradient = try Self.output(state)
        #expect(gradient.showing == .gradient && gradient.hasGradient)
        // The loss is the sum of the last layer's output: its gradient is 1 everywhere.
        #expect(gradient.stats?.min == 1 && gradient.stats?.max == 1)
        #expect(gradient.shape == [2, 1])
    }

    @Test func anOutputCannotBeEdited() throws {
        let state = try openBuiltin("tied")
        try press(state, "f")
        #expect(state.select(path: "0"))
        let before = try Self.output(state).cursorValue
        let reactions = try press(state, "Tab Z")
        #expect(reactions.last?.contains(.error) == true, "\(state.status.text)")
        #expect(try Self.output(state).cursorValue == before)
    }

    @Test func angleBracketsBrowseTheBatchOfABlocksOutput() throws {
        let (state, session) = try LiveTransformerTests.open("gpt2")
        _ = try session.setInput("the cat | a dog ran")
        state.handle(.forward)
        #expect(state.select(path: "transformer.h.0"))
        let first = try Self.output(state)
        #expect(first.shape.count == 3 && first.shape[0] == 2)
        #expect(first.leadingIndices == [0])
        let reference = try #require(session.module.activationCapture?.records(at: "transformer.h.0").last?.output).toArray()
        let rowLength = first.shape[1] * first.shape[2]
        try press(state, ">")
        let second = try Self.output(state)
        #expect(second.leadingIndices == [1])
        #expect(second.cursorValue == reference[rowLength], "slice 1 starts at text 2's first token")
    }
}
