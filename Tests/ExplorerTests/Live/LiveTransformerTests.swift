import Architectures
import Foundation
import ModelFiles
import NNCore
import Testing
import TestSupport
import TerminalUI
@testable import Explorer

/// A transformers folder opened live: the predictions the explorer shows are `LoadedTransformer.run`'s, `b` splits
/// the tied embedding's gradient by use, edits change the predictions and undo restores them, and `w` writes each
/// tensor once under transformers' first name.
@Suite struct LiveTransformerTests {
    /// The transformers fixtures kept in ArchitecturesTests/Fixtures (read through #filePath).
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ArchitecturesTests/Fixtures").appendingPathComponent(name).path
    }

    static func open(_ name: String) throws -> (ExplorerState, LiveTransformerSession) {
        let path = fixture(name)
        guard case .live(let opened) = LiveModelOpener.open(path: path),
              let session = opened as? LiveTransformerSession else {
            throw ExplorerError("\(name) did not open live")
        }
        let state = try ExplorerState(model: try ModelLoader.load(path), session: session)
        return (state, session)
    }

    /// `A || B` types a pair on a BERT model: the tokens are the pair template's, the second text's of type 1, and the
    /// fillers of `[MASK]` are those of the model run with those token types. On GPT-2 a pair is refused and the
    /// input stays.
    @Test func pairsOfTextsCarryTokenTypes() throws {
        let (state, session) = try Self.open("bert_mlm")
        state.handle(.beginInput)
        typeLine(state, "the program || a [MASK] of this License.")
        state.handle(.submit)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(session.texts == ["the program || a [MASK] of this License."])
        #expect(session.batch.tokenTypeIDs.first?.contains(1) == true)
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")

        let reference = try TransformerLoader.load(path: Self.fixture("bert_mlm"))
        let batch = try reference.tokenizer().encodeBatch(["the program"], pairs: ["a [MASK] of this License."])
        let shape = [1, batch.ids[0].count]
        let run = try reference.run(inputIDs: try Tensor(batch.ids[0].map(Float.init), shape: shape), attentionMask: nil,
                                    tokenTypeIDs: try Tensor(batch.tokenTypeIDs[0].map(Float.init), shape: shape))
        let group = try #require(session.lastTop.first)
        let expected = try Predictions.top(5, logits: try #require(run.logits), batchIndex: 0, position: group.position)
        #expect(group.predictions.map(\.id) == expected.map(\.id))

        let (gptState, gpt) = try Self.open("gpt2")
        let before = gpt.texts
        gptState.handle(.beginInput)
        typeLine(gptState, "hello || world")
        gptState.handle(.submit)
        #expect(gptState.status.isError && gptState.status.text.contains("needs a model with token types"))
        #expect(gpt.texts == before)
    }

    /// A base model opened from a task model's file says in its first status line which tensors it left out.
    @Test func theFirstStatusNamesTensorsTheModelLeftOut() throws {
        let folder = try ScratchSpace.folder("headless-live").path
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.fixture("llama")) where file != "config.json" {
            try FileManager.default.copyItem(atPath: Self.fixture("llama") + "/" + file, toPath: folder + "/" + file)
        }
        let config = try String(contentsOfFile: Self.fixture("llama") + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"LlamaForCausalLM\"", with: "\"LlamaModel\"")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        guard case .live(let opened) = LiveModelOpener.open(path: folder) else { throw ExplorerError("did not open live") }
        let state = try ExplorerState(model: try ModelLoader.load(folder), session: opened)
        #expect(state.status.text.hasSuffix("; LlamaModel has no place for 1 tensor of the file (lm_head.weight): left out, as transformers does"),
                "\(state.status.text)")
    }

    @Test func causalPredictionsEqualTheModelsRun() throws {
        let (state, session) = try Self.open("gpt2")
        #expect(state.isLive)
        state.handle(.beginInput)
        typeLine(state, "hello world | the cat sat")
        state.handle(.submit)
        #expect(session.texts == ["hello world", "the cat sat"])
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")

        // The same batch through a freshly loaded model, outside the explorer.
        let reference = try TransformerLoader.load(path: Self.fixture("gpt2"))
        let batch = try reference.tokenizer().encodeBatch(["hello world", "the cat sat"])
        let ids = try Tensor(batch.ids.flatMap { $0.map(Float.init) }, shape: [2, batch.ids[0].count])
        let mask = try Tensor(batch.attentionMask.flatMap { $0.map(Float.init) }, shape: ids.shape)
        let run = try reference.run(inputIDs: ids, attentionMask: mask)
        let logits = try #require(run.logits)
        let positions = try Predictions.lastTokenPositions(attentionMask: mask)
        #expect(session.lastTop.count == 2)
        for (text, position) in positions.enumerated() {
            let expected = try Predictions.top(5, logits: logits, batchIndex: text, position: position)
            let shown = session.lastTop[text]
            #expect(shown.position == position)
            #expect(shown.predictions.map(\.id) == expected.map(\.id))
            for (a, b) in zip(shown.predictions, expected) { #expect(abs(a.probability - b.probability) <= 1e-5) }
        }
        // And the root's pane lists them.
        guard case .module(let root) = state.detail else { Issue.record("the root is not selected"); return }
        #expect(root.predictions.first == "text 1 \"hello world\" → next token:")
        #expect(root.predictions.count == 12)
    }

    @Test(arguments: ["llama_tied.q8_0.gguf", "llama"])
    func llamaFilesOpenLiveAndPredict(_ name: String) throws {
        let (state, session) = try Self.open(name)
        state.handle(.forward)
        #expect(!state.status.isError, "\(state.status.text)")
        let reference = try TransformerLoader.load(path: Self.fixture(name))
        let batch = try reference.tokenizer().encodeBatch([session.defaultText])
        let ids = try Tensor(batch.ids[0].map(Float.init), shape: [1, batch.ids[0].count])
        let logits = try #require(try reference.run(inputIDs: ids, attentionMask: nil).logits)
        let expected = try Predictions.top(5, logits: logits, batchIndex: 0, position: batch.ids[0].count - 1)
        #expect(session.lastTop.first?.predictions.map(\.id) == expected.map(\.id))
        state.handle(.backward)
        #expect(state.status.text.hasPrefix("backward: next-token LM loss"), "\(state.status.text)")
    }

    @Test func maskFillsEqualTheModelsRun() throws {
        let (state, session) = try Self.open("bert_mlm")
        state.handle(.forward)
        let reference = try TransformerLoader.load(path: Self.fixture("bert_mlm"))
        let batch = try reference.tokenizer().encodeBatch([session.defaultText])
        let ids = try Tensor(batch.ids[0].map(Float.init), shape: [1, batch.ids[0].count])
        let logits = try #require(try reference.run(inputIDs: ids, attentionMask: nil).logits)
        let maskPosition = try #require(batch.tokens[0].firstIndex(of: "[MASK]"))
        let expected = try Predictions.top(5, logits: logits, batchIndex: 0, position: maskPosition)
        #expect(session.lastTop.count == 1)
        #expect(session.lastTop.first?.position == maskPosition)
        #expect(session.lastTop.first?.predictions.map(\.id) == expected.map(\.id))
        #expect(state.status.text.hasPrefix("forward: [MASK] "))
    }

    @Test func maskedBackwardWithoutMaskSaysWhatItScores() throws {
        let (state, _) = try Self.open("bert_mlm")
        state.handle(.beginInput)
        typeLine(state, "paris is nice")
        state.handle(.submit)
        state.handle(.backward)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.contains("no [MASK] in the text"))
        #expect(state.header.lastLoss.map { $0.isFinite && $0 > 0 } == true)
    }

    @Test func tiedEmbeddingGradientSplitsByUseAndEditsChangePredictions() throws {
        let (state, session) = try Self.open("gpt2")
        state.handle(.forward)
        let before = session.lastTop
        state.handle(.search("transformer.wte.weight"))
        state.handle(.backward)
        #expect(!state.status.isError, "\(state.status.text)")
        guard case .tensor(let detail) = state.detail else { Issue.record("no tensor selected"); return }
        #expect(detail.names == ["transformer.wte.weight", "lm_head.weight"])
        let tied = try #require(detail.tiedGradients)
        #expect(tied.contributions.count == 2)
        #expect(tied.maxSumDiscrepancy <= 1e-5)
        // The embedding use touches only the rows of the input's tokens: most rows of its gradient are zero. The
        // last token's embedding feeds only the last position, which has no next token to predict.
        let wte = try #require(session.module.namedParameters().first { $0.name == "transformer.wte.weight" }?.tensor)
        let embeddingUse = try #require(wte.gradientContributions.first { $0.site == "transformer.wte" })
        let width = wte.shape[1]
        let values = embeddingUse.gradient.toArray()
        let nonZeroRows = (0 ..< wte.shape[0]).filter { row in (0 ..< width).contains { values[row * width + $0] != 0 } }
        let ids = try #require(session.batch.ids.first)
        #expect(Set(nonZeroRows) == Set(ids.dropLast()))
        #expect(nonZeroRows.count < wte.shape[0] / 10)

        // Zero the tied embedding: the predictions change; undo brings them back.
        state.handle(.zero(.tensor))
        state.handle(.forward)
        #expect(session.lastTop != before)
        state.handle(.undo)
        state.handle(.forward)
        #expect(session.lastTop == before)
    }

    @Test func savingWritesTiedWeightsOnceUnderTransformersName() throws {
        let (state, _) = try Self.open("gpt2")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnview-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.safetensors").path
        state.handle(.saveAs(path))
        #expect(!state.status.isError, "\(state.status.text)")
        let archive = try ModelFileReader.open(path: path)
        let names = Set(archive.tensors.map(\.name))
        let original = Set(try ModelFileReader.open(path: Self.fixture("gpt2/model.safetensors")).tensors.map(\.name))
        #expect(names == original)
        #expect(names.contains("transformer.wte.weight") && !names.contains("lm_head.weight"))
    }

    @Test func sentenceModelsAndBrowsedFilesAreNotAffected() throws {
        // A bare weights file is browsed as before.
        guard case .browse(let reason) = LiveModelOpener.open(path: Self.fixture("gpt2/model.safetensors")) else {
            Issue.record("a bare safetensors file opened live")
            return
        }
        #expect(reason == nil)
        // `r` (like `i`) asks for the texts on a live transformer; `L` says the loss is the LM loss.
        let (state, _) = try Self.open("gpt2")
        state.handle(.newInput)
        #expect(state.mode == .prompt(label: state.session!.inputPrompt, text: "The capital of France is"))
        state.handle(.cancel)
        state.handle(.cycleLoss)
        #expect(state.status.isError && state.status.text.contains("next-token LM loss"))
    }
}
