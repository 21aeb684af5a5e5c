import Foundation
import NNCore
import Testing
import TerminalUI
@testable import Explorer

/// The root's gradient flow after `b`: one bar per parameterised layer, its norm √(Σ‖grad‖²) over the layer's own
/// parameters (a shared layer once), vanishing and exploding marked.
@Suite struct GradientFlowTests {
    @Test func tiedNetworksFlowAfterBackward() throws {
        let state = try openBuiltin("tied")
        #expect(state.gradientFlow == nil, "no gradient before b")
        try press(state, "b")
        let flow = try #require(state.gradientFlow)
        // Linear 0, the shared Linear at 2 (its second use, 4, holds the same tensors), Linear 6.
        #expect(flow.layers.map(\.path) == ["0", "2", "6"])
        for layer in flow.layers {
            let names = [layer.path + ".weight", layer.path + ".bias"]
            let squares = state.entries.filter { !Set($0.names).isDisjoint(with: names) }
                .map { TensorStatistics.norm(of: $0.tensor!.grad!) }.map { $0 * $0 }.reduce(0, +)
            #expect(abs(layer.norm - squares.squareRoot()) <= 1e-6 * max(1, layer.norm), "\(layer.path)")
            #expect(!layer.isVanishing && !layer.isExploding)
        }
        guard case .module(let root) = state.detail else { Issue.record("root not selected"); return }
        #expect(root.gradientFlow == flow)
        try press(state, "z")
        #expect(state.gradientFlow?.layers.allSatisfy { $0.norm == 0 && $0.isVanishing } ?? true)
    }

    @Test func theRootsPaneDrawsOneBarPerLayer() throws {
        let harness = try RenderHarness(width: 120, height: 30)
        let text = try harness.press("b")
        #expect(text.contains("gradient flow: ‖grad‖ per layer, log 1e-8…1e4"))
        let flow = try #require(harness.state.gradientFlow)
        for layer in flow.layers {
            let filled = GradientFlowViewModel.filled(layer.norm, width: 30)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
            #expect(text.contains(bar + " " + NumberFormat.short(layer.norm)), "\(layer.path)")
        }
        let ascii = try RenderHarness(width: 120, height: 30, ascii: true).press("b")
        #expect(ascii.contains("gradient flow: |grad| per layer, log 1e-8..1e4"))
    }

    @Test func barsAreOnALogScaleAndTheMarksFollowTheThresholds() {
        #expect(GradientFlowViewModel.filled(1e-8, width: 12) == 0)
        #expect(GradientFlowViewModel.filled(1e-2, width: 12) == 6)
        #expect(GradientFlowViewModel.filled(1e4, width: 12) == 12)
        #expect(GradientFlowViewModel.filled(.infinity, width: 12) == 12)
        #expect(GradientFlowViewModel.Layer(path: "a", norm: 5e-8).isVanishing)
        #expect(GradientFlowViewModel.Layer(path: "a", norm: 2e3).isExploding)
        #expect(GradientFlowViewModel.Layer(path: "a", norm: .nan).isExploding)
        #expect(!GradientFlowViewModel.Layer(path: "a", norm: 1).isVanishing)
    }
}
