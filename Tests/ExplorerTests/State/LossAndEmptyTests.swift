import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// The smaller explorer items of issue 15 §6.
@Suite struct LossAndEmptyTests {
    @Test func anEmptyTensorSaysEmptyInsteadOfZeroStatistics() throws {
        let harness = try RenderHarness(try fixturePath("dtypes.safetensors"), width: 100, height: 24)
        let text = try harness.press("/ text:empty Enter")
        let detail = try tensorDetail(harness.state)
        #expect(detail.stats == nil)
        #expect(detail.message == "empty: shape [0, 4] holds no elements")
        #expect(text.contains("empty: shape [0, 4] holds no elements"))
        #expect(!text.contains("value = -") && !text.contains("zeros 0 of 0"))
    }

    @Test func theShownLossIsStaleAfterALossChangeOrAnEdit() throws {
        let state = try openBuiltin()
        try press(state, "b")
        #expect(state.header.lastLoss != nil && !state.header.lastLossIsStale)
        try press(state, "L")
        #expect(state.header.lossName == "mean")
        #expect(state.header.lastLossIsStale, "the loss shown is the sum's, not the mean's")
        #expect(state.status.text.contains("stale"))
        try press(state, "f")
        #expect(!state.header.lastLossIsStale)
        #expect(state.select(path: "0.bias"))
        try press(state, "Tab e text:3 Enter")
        #expect(state.header.lastLossIsStale)
        let harness = try RenderHarness(width: 120, height: 30)
        let text = try harness.press("b L")
        #expect(text.contains("(stale: f)"))
    }

    @Test func crossEntropyOfOneOutputSaysWhyItIsZero() throws {
        let state = try openBuiltin()  // tied: one output
        try press(state, "L L L")
        #expect(state.header.lossName == "cross-entropy")
        try press(state, "b")
        #expect(state.status.text.contains("softmax over a single class is 1"), "\(state.status.text)")
    }
}

extension LossAndEmptyTests {
    @Test func keysThatDoNothingOnAModuleSaySo() throws {
        let harness = try RenderHarness(width: 100, height: 20)
        var text = try harness.press("g")
        #expect(harness.state.status.isError, "g on a module row changes nothing: \(harness.state.status.text)")
        #expect(!text.contains("showing gradients"))
        text = try harness.press("Tab")
        #expect(!text.contains("Module (arrows move the cursor)"))
        #expect(text.contains("Module (Tab: back to the tree)"))
        #expect(!text.contains("e edit"), "a module has nothing to edit")
        text = try harness.press("Tab / text:0.weight Enter Tab")
        #expect(text.contains("Tensor (arrows move the cursor)"))
    }
}

extension LossAndEmptyTests {
    /// The edited mark follows a tensor's dtype, so the name and shape columns stay where they were.
    @Test func treeColumnsStayPutWhenAnEditMarkAppears() throws {
        let harness = try RenderHarness(width: 120, height: 30)
        func shapeColumns(_ text: String) -> [Int] {
            text.split(separator: "\n").compactMap { line -> Int? in
                guard let range = line.range(of: "[8, 4]") ?? line.range(of: "[8, 8]") else { return nil }
                return line.distance(from: line.startIndex, to: range.lowerBound)
            }
        }
        let before = shapeColumns(try harness.press("f / text:0.weight Enter"))
        let after = try harness.press("Tab e text:2 Enter")
        #expect(after.contains("F32 ✎"))
        #expect(shapeColumns(after) == before && !before.isEmpty, "\(before) → \(shapeColumns(after))")
    }
}
