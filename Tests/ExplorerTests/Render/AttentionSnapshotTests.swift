import Foundation
import Testing

/// `nnview snapshot` of an attention module after typing a text and `f`, at the 160×50: the pattern of
/// head 1 with the text's tokens along both sides, as golden frames (the real binary in its own process).
@Suite struct AttentionSnapshotTests {
    static func snapshot(_ folder: String, keys: String) throws -> String {
        try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + folder, size: "160x50", keys: keys)
    }

    @Test func gpt2FirstBlocksAttentionShowsHeadOneWithTheTokens() throws {
        let typed = LiveTransformerSnapshotTests.typed("the quick fox")
        let text = try Self.snapshot("gpt2", keys: "i \(typed) Enter f / text:h.0.attn Enter")
        goldens.assertMatches(text, named: "attention-gpt2-h0")
        #expect(text.contains("transformer.h.0.attn"))
        #expect(text.contains("attention head 1 of 4"))
        // The tokens label the columns (in a row) and the rows (one a line).
        #expect(text.contains("the     Ġ       qu      ic      k       Ġf      o       x"))
        #expect(text.contains("│ Ġf      .14"))
        // Causal: the first token sees only itself.
        #expect(text.contains("strongest: query 'the' → key 'the': 1.0"))
        #expect(text.contains("cursor: query 'the' → key 'the': 1.0"))
    }

    @Test func aLongTextScrollsWithTheCursor() throws {
        let words = (1...14).map { "w\($0)" }.joined(separator: " ")
        let keys = "i \(LiveTransformerSnapshotTests.typed(words)) Enter f / text:h.0.attn Enter Tab End"
        let text = try Self.snapshot("gpt2", keys: keys)
        #expect(text.contains("attention head 1 of 4"))
        #expect(text.contains("showing queries 1-"), "not every query fits in 50 rows")
        #expect(text.contains("keys 14-33 of 33"), "the keys scrolled to the cursor on the last one")
        // End put the cursor on the last key (the 4 of w14) of the first query.
        #expect(text.contains("cursor: query 'w' → key '4': 0.00"))
    }

    @Test func gpt2NextHeadAndMean() throws {
        let typed = LiveTransformerSnapshotTests.typed("the quick fox")
        let next = try Self.snapshot("gpt2", keys: "i \(typed) Enter f / text:h.0.attn Enter >")
        #expect(next.contains("attention head 2 of 4"))
        let mean = try Self.snapshot("gpt2", keys: "i \(typed) Enter f / text:h.0.attn Enter <")
        #expect(mean.contains("attention mean of 4 heads"))
    }

    @Test func bertFirstLayersSelfAttentionShowsHeadOneWithTheTokens() throws {
        let typed = LiveTransformerSnapshotTests.typed("the cat [MASK] on the mat")
        let text = try Self.snapshot("bert_mlm", keys: "i \(typed) Enter f / text:layer.0.attention.self Enter")
        goldens.assertMatches(text, named: "attention-bert-layer0")
        #expect(text.contains("attention head 1 of"))
        #expect(text.contains("[CLS]") && text.contains("[MASK]") && text.contains("[SEP]"))
    }
}
