import Foundation
import Testing

/// `nnview snapshot` of the transformers fixtures opened live, as golden frames: the predictions after typing a
/// text and `f`, and the tied embedding's gradient by use after `b` (GPT-2's `transformer.wte.weight` =
/// `lm_head.weight`). The real binary runs in its own process.
@Suite struct LiveTransformerSnapshotTests {
    static let fixtures = "Tests/ArchitecturesTests/Fixtures/"

    /// The frame `nnview snapshot FOLDER --keys KEYS` prints (FOLDER relative to the package root, so the golden
    /// does not depend on where the package is checked out).
    static func snapshot(_ folder: String, keys: String) throws -> String {
        try NNViewBinary.snapshot(fixtures + folder, size: "120x40", keys: keys)
    }

    /// `text` as snapshot keys (spaces are the key separator there).
    static func typed(_ text: String) -> String {
        text.split(separator: " ").map { "text:" + $0 }.joined(separator: " Space ")
    }

    @Test func gpt2TypedTextThenForwardShowsTheNextTokens() throws {
        let text = try Self.snapshot("gpt2", keys: "i \(Self.typed("the cat sat")) Enter f")
        goldens.assertMatches(text, named: "live-gpt2-input-forward")
        #expect(text.contains("gpt2 · 46,720 params · live"))
        #expect(text.contains("input [1, 5] tokens: the Ġc at Ġs at"))
        #expect(text.contains("text 1 \"the cat sat\" → next token:"))
        #expect(text.contains("forward: next token"))
    }

    @Test func gpt2BackwardOnTheTiedEmbeddingShowsEachUse() throws {
        let text = try Self.snapshot("gpt2", keys: "i \(Self.typed("the cat sat")) Enter f / text:wte.weight Enter b")
        goldens.assertMatches(text, named: "live-gpt2-backward-wte")
        #expect(text.contains("transformer.wte.weight = lm_head.weight"))
        #expect(text.contains("transformer.wte") && text.contains("via lm_head") && text.contains("sum = grad"))
        #expect(text.contains("backward: next-token LM loss"))
    }

    @Test func bertTypedMaskThenForwardShowsTheFillers() throws {
        let text = try Self.snapshot("bert_mlm", keys: "i \(Self.typed("the cat [MASK] on the mat")) Enter f")
        goldens.assertMatches(text, named: "live-bert-mask-forward")
        #expect(text.contains("bert_mlm · 53,384 params · live"))
        #expect(text.contains("[MASK] at token 4 → fillers:"))
    }

    @Test func bertBackwardOnTheWordEmbeddings() throws {
        let text = try Self.snapshot("bert_mlm", keys: "i \(Self.typed("the cat [MASK] on the mat")) Enter / text:word_embeddings.weight Enter b")
        goldens.assertMatches(text, named: "live-bert-backward-word-embeddings")
        #expect(text.contains("backward: masked LM loss"))
        #expect(text.contains("1 [MASK] position, each against the model's own top filler"))
    }
}
