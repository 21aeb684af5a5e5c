import Foundation
import ModelFiles
import NNCore
import NNModules
import Testing
import TerminalUI
@testable import Explorer

/// An attention module's detail in a live transformer: after `f` it shows PyTorch's attention probabilities
/// (`output_attentions=True`, the fixtures' `attn/…`) of one head with the typed text's tokens, `<` `>` change the
/// head, and past the last head comes the mean over heads.
@Suite struct AttentionDetailTests {
    /// PyTorch's tensor `name` of a fixture folder's expect.safetensors.
    static func expected(_ folder: String, _ name: String) throws -> Tensor {
        let archive = try SafeTensorsReader.read(path: LiveTransformerTests.fixture(folder) + "/expect.safetensors")
        return try #require(archive.tensors.first { $0.name == name }).makeTensor()
    }

    /// The fixture's first text typed and run forward, then the attention module at `path` selected.
    static func attention(_ folder: String, path: String) throws -> (ExplorerState, AttentionViewModel) {
        let (state, session) = try LiveTransformerTests.open(folder)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            LiveTransformerTests.fixture(folder) + "/expect.json"))) as? [String: Any]
        let text = try #require((json?["texts"] as? [String])?.first)
        _ = try session.setInput(text)
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.select(path: path))
        guard case .module(let detail) = state.detail else { throw ExplorerError("\(path) is not a module") }
        return (state, try #require(detail.attention, "no attention pattern at \(path)"))
    }

    /// Checks `shown` (one text's real tokens) against PyTorch's [B, H, T, T] probabilities of text 0 at `head`
    /// (nil: the mean over heads).
    static func expectMatches(_ shown: AttentionViewModel, _ reference: Tensor, head: Int?) {
        let (heads, t) = (reference.shape[1], reference.shape[3])
        let values = reference.toArray()
        var worst: Float = 0
        for q in shown.queryTokens.indices {
            for k in shown.keyTokens.indices {
                let picked = head.map { [$0] } ?? Array(0..<heads)
                let want = picked.map { values[($0 * t + q) * t + k] }.reduce(0, +) / Float(picked.count)
                let got = shown.values[q][k]
                #expect(abs(got - want) <= 1e-5 + 1e-4 * abs(want), "query \(q) key \(k): \(got), PyTorch \(want)")
                worst = max(worst, abs(got - want))
            }
        }
        #expect(worst <= 1e-5)
    }

    @Test func gpt2HeadsAndMeanAreTransformersAttentions() throws {
        let (state, first) = try Self.attention("gpt2", path: "transformer.h.0.attn")
        let reference = try Self.expected("gpt2", "attn/transformer.h.0.attn")
        #expect(first.headCount == reference.shape[1])
        #expect(first.title == "head 1 of \(reference.shape[1])")
        let session = try #require(state.session as? LiveTransformerSession)
        #expect(first.queryTokens == session.batch.tokens[0].map(LiveTransformerSession.visible))
        #expect(first.keyTokens == first.queryTokens)
        let mask = try Self.expected("gpt2", "attention_mask").toArray()
        #expect(first.queryTokens.count == Int(mask.prefix(reference.shape[2]).reduce(0, +)), "text 1's real tokens")
        Self.expectMatches(first, reference, head: 0)

        state.handle(.leadingIndexUp)
        let second = try #require(state.selectedAttention)
        #expect(second.title == "head 2 of \(reference.shape[1])")
        Self.expectMatches(second, reference, head: 1)
        state.handle(.leadingIndexDown)
        state.handle(.leadingIndexDown)
        let mean = try #require(state.selectedAttention)
        #expect(mean.head == nil && mean.title == "mean of \(reference.shape[1]) heads", "< before head 1 is the mean")
        Self.expectMatches(mean, reference, head: nil)
        state.handle(.leadingIndexDown)
        #expect(state.selectedAttention?.head == reference.shape[1] - 1, "then the last head")
        state.handle(.leadingIndexUp)
        state.handle(.leadingIndexUp)
        #expect(state.selectedAttention?.head == 0, "> after the mean wraps to head 1")
        // Causal: the first query sees only itself.
        #expect(abs(first.values[0][0] - 1) <= 1e-6)
    }

    @Test func bertSelfAttentionMatchesTransformers() throws {
        let (_, shown) = try Self.attention("bert_mlm", path: "bert.encoder.layer.1.attention.self")
        let reference = try Self.expected("bert_mlm", "attn/bert.encoder.layer.1.attention.self")
        #expect(shown.queryTokens.first == "[CLS]" && shown.queryTokens.last == "[SEP]")
        Self.expectMatches(shown, reference, head: 0)
        for row in shown.values { #expect(abs(row.reduce(0, +) - 1) <= 1e-5, "a query's row sums to 1") }
    }

    @Test func theCursorReadsQueryKeyAndProbability() throws {
        let (state, first) = try Self.attention("gpt2", path: "transformer.h.0.attn")
        #expect(first.cursor == GridPoint(row: 0, col: 0))
        try press(state, "Tab j j j l")
        let moved = try #require(state.selectedAttention)
        #expect(moved.cursor == GridPoint(row: 3, col: 1))
        let reference = try Self.expected("gpt2", "attn/transformer.h.0.attn")
        let t = reference.shape[3]
        #expect(abs((moved.cursorValue ?? .nan) - reference.toArray()[3 * t + 1]) <= 1e-5)
        // End goes to the last key; the cursor stays on the pattern.
        try press(state, "End")
        #expect(state.selectedAttention?.cursor.col == moved.keyTokens.count - 1)
    }

    @Test func aModuleWithoutAttentionHasNoPattern() throws {
        let (state, _) = try Self.attention("gpt2", path: "transformer.h.0.attn")
        #expect(state.select(path: "transformer.h.0.mlp"))
        guard case .module(let detail) = state.detail else { Issue.record("not a module"); return }
        #expect(detail.attention == nil)
        #expect(detail.output?.shape.count == 3, "it shows its output instead")
    }

    @Test func aRefusedCaptureIsSaidAndTheExplorerStaysUsable() throws {
        let (state, session) = try LiveTransformerTests.open("gpt2")
        session.module.activationCapture = try ActivationCapture(budgetBytes: 64)
        _ = try session.setInput("the cat sat")
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.select(path: "transformer.h.1.attn"))
        guard case .module(let detail) = state.detail else { Issue.record("not a module"); return }
        #expect(detail.attention == nil)
        #expect(detail.message?.hasPrefix("capture stopped at") == true, "\(detail.message ?? "no message")")
        #expect(!detail.calls.isEmpty, "the forward still ran and is listed")
    }
}

