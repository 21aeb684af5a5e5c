import Architectures
import Foundation
import NNCore
import NNModules
import TerminalUI
import Tokenizers

/// A transformers folder, sentence-transformers folder or llama GGUF opened live: texts typed with `i`, tokenized
/// by the model's own tokenizer and padded on the right as transformers does; `f` shows what the model says (the
/// top-5 next tokens of a causal LM, the top-5 fillers of each `[MASK]`, the norms and pairwise cosine similarity of
/// sentence embeddings); `b` runs the LM loss backward.
///
/// The loss of `b`: a causal LM predicts each next token of its own input (labels = the input ids, shifted inside,
/// padding ignored), as `nnview run --loss lm`. A masked LM is scored at its `[MASK]` positions, each against the
/// model's own top filler there (no true word is known); a text without any `[MASK]` is scored on reconstructing
/// every real non-special token of its input, and the status line says so.
public final class LiveTransformerSession: LiveSession {
    /// The loaded model.
    public let loaded: LoadedTransformer
    let tokenizer: any Tokenizer
    /// The texts of the batch.
    public private(set) var texts: [String] = []
    /// The tokenized batch (padded on the right).
    public private(set) var batch = TokenizedBatch(ids: [], attentionMask: [], tokens: [])
    var inputIDs = Tensor(scalar: 0)
    var attentionMask = Tensor(scalar: 0)
    /// The batch's token types when it holds pairs (`A || B`); nil when every token is of type 0.
    var tokenTypeIDs: Tensor?
    /// How many predictions each position shows.
    public static let topCount = 5
    /// The id of `[MASK]`, for masked LMs.
    let maskID: Int?

    /// The top predictions of the last pass: per text, the next tokens (causal LM), or per `[MASK]` its fillers.
    public private(set) var lastTop: [PredictionGroup] = []
    /// The sentence embeddings' norms of the last pass (sentence models).
    public private(set) var lastNorms: [Float] = []
    /// The cosine similarity of each pair of texts (i < j) of the last pass (sentence models).
    public private(set) var lastSimilarities: [(i: Int, j: Int, cosine: Float)] = []

    /// One group of top-K predictions at one position of one text.
    public struct PredictionGroup: Equatable, Sendable {
        /// The text's index in the batch.
        public var text: Int
        /// The token position the predictions are read at.
        public var position: Int
        /// Most probable first.
        public var predictions: [TokenPrediction]
    }

    /// Opens `loaded` with a default input, so `f` works at once.
    public init(_ loaded: LoadedTransformer) throws {
        self.loaded = loaded
        self.tokenizer = try loaded.tokenizer()
        self.maskID = tokenizer.id(forToken: "[MASK]")
        _ = try setInput(defaultText)
    }

    /// The text the session starts with.
    public var defaultText: String {
        switch loaded.task {
        case .causalLanguageModel: return "The capital of France is"
        case .maskedLanguageModel: return maskID != nil ? "The capital of France is [MASK]." : "The capital of France is Paris."
        case .sentenceEmbedding: return "A man is eating food. | A man is eating a meal. | The sky is blue today."
        case .hiddenStates: return "The capital of France is Paris."
        }
    }

    public var module: Module { loaded.model }

    public var openingNote: String? { loaded.ignoredTensorsNote }

    public var taskDescription: String {
        switch loaded.task {
        case .causalLanguageModel: return "causal LM"
        case .maskedLanguageModel: return "masked LM"
        case .sentenceEmbedding: return "sentence embeddings"
        case .hiddenStates: return "hidden states"
        }
    }

    public var inputPrompt: String {
        loaded.model is any TokenTypeTakingModel
            ? "texts (separate several with ' | ', a pair's two with ' || '; typing replaces): "
            : "texts (separate several with ' | '; typing replaces): "
    }

    public var inputText: String { texts.joined(separator: " | ") }

    public var inputSummary: String? {
        guard !batch.tokens.isEmpty else { return nil }
        return "tokens: " + zip(batch.tokens, batch.attentionMask).map { tokens, mask in
            zip(tokens, mask).filter { $0.1 != 0 }.map { Self.visible($0.0) }.joined(separator: " ")
        }.joined(separator: " | ")
    }

    public var inputShape: [Int]? { batch.ids.isEmpty ? nil : inputIDs.shape }

    public var lossName: String {
        switch loaded.task {
        case .causalLanguageModel: return "next-token LM"
        case .maskedLanguageModel: return "masked LM"
        case .sentenceEmbedding, .hiddenStates: return "none (no LM head)"
        }
    }

    /// Splits `text` into texts at newlines and ` | `, tokenizes them and makes the batch. A text `A || B` is a
    /// pair (`tokenizer(A, B)`: BERT's `[CLS] A [SEP] B [SEP]` with B's tokens of type 1), for models whose
    /// embeddings take token types.
    public func setInput(_ text: String) throws -> String {
        let parts = text.components(separatedBy: "\n").flatMap { $0.components(separatedBy: " | ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw ExplorerError("input: type a text (several separated by ' | '); the input is unchanged") }
        guard parts.count <= 64 else { throw ExplorerError("input: at most 64 texts at once, not \(parts.count); the input is unchanged") }
        let split = parts.map { part -> (String, String?) in
            guard let range = part.range(of: "||") else { return (part, nil) }
            return (part[..<range.lowerBound].trimmingCharacters(in: .whitespaces),
                    part[range.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        let hasPairs = split.contains { $0.1 != nil }
        if hasPairs, !(loaded.model is any TokenTypeTakingModel) {
            throw ExplorerError("input: a pair (A || B) needs a model with token types (BERT); \(loaded.model.typeName) has none; the input is unchanged")
        }
        let encoded = hasPairs ? try tokenizer.encodeBatch(split.map(\.0), pairs: split.map(\.1))
                               : try tokenizer.encodeBatch(parts)
        let length = encoded.ids.first?.count ?? 0
        guard length > 0 else { throw ExplorerError("input: the texts give no tokens; the input is unchanged") }
        let maxPositions = loaded.config.maxPositions
        guard length <= maxPositions else {
            throw ExplorerError("input: \(length) tokens, but the model takes at most \(maxPositions); the input is unchanged")
        }
        let tensors = try encoded.tensors()
        texts = split.map { first, second in second.map { "\(first) || \($0)" } ?? first }
        batch = encoded
        inputIDs = tensors.inputIDs
        attentionMask = tensors.attentionMask
        tokenTypeIDs = tensors.tokenTypeIDs
        let count = encoded.attentionMask.reduce(0) { $0 + $1.reduce(0, +) }
        return "input: \(parts.count) text\(parts.count == 1 ? "" : "s"), \(count) tokens (press f for predictions, b for the \(lossName) loss)"
    }

    public func forward() throws -> LiveOutcome {
        let run = try Autograd.noGrad { try loaded.run(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs) }
        let lines = try describe(run)
        return LiveOutcome(status: "forward: " + headline(), lines: lines)
    }

    public func backward() throws -> LiveOutcome {
        guard loaded.task == .causalLanguageModel || loaded.task == .maskedLanguageModel else {
            throw ExplorerError("backward: a \(taskDescription) model has no LM head, so there is no loss to run backward")
        }
        let run = try loaded.run(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs)
        guard let logits = run.logits else { throw ExplorerError("backward: the model gave no logits") }
        let (labels, note) = try makeLabels(logits: logits)
        let loss = try loaded.loss(logits: logits, labels: labels)
        try loss.backward()
        let value = try loss.item()
        var lines = try describe(run)
        lines.insert("loss \(NumberFormat.exact(value)): \(note)", at: 0)
        return LiveOutcome(status: "backward: \(lossName) loss \(NumberFormat.exact(value)) (\(note))", lines: lines, loss: value)
    }

    /// The labels of `b` (see the type's documentation) and a note saying which they are.
    func makeLabels(logits: Tensor) throws -> (Tensor, String) {
        let ids = batch.ids, mask = batch.attentionMask
        let ignored = Float(ignoredLabel)
        var labels: [Float] = []
        if loaded.task == .causalLanguageModel {
            guard (ids.first?.count ?? 0) > 1 else {
                throw ExplorerError("backward: a causal LM needs at least 2 tokens for a next-token loss: type a longer text with i")
            }
            for (row, rowMask) in zip(ids, mask) {
                for (id, m) in zip(row, rowMask) { labels.append(m != 0 ? Float(id) : ignored) }
            }
            return (try Tensor(labels, shape: inputIDs.shape), "each next token of the input")
        }
        let maskPositions = masks()
        if maskPositions.isEmpty {
            let special = tokenizer.specialTokenIDs
            for (row, rowMask) in zip(ids, mask) {
                for (id, m) in zip(row, rowMask) { labels.append(m != 0 && !special.contains(id) ? Float(id) : ignored) }
            }
            return (try Tensor(labels, shape: inputIDs.shape),
                    "no [MASK] in the text: every token of the unmasked input against itself")
        }
        labels = Array(repeating: ignored, count: inputIDs.count)
        let length = inputIDs.shape[1]
        for (text, position) in maskPositions {
            let top = try Predictions.top(1, logits: logits, batchIndex: text, position: position)
            labels[text * length + position] = Float(top.first?.id ?? 0)
        }
        return (try Tensor(labels, shape: inputIDs.shape),
                "\(maskPositions.count) [MASK] position\(maskPositions.count == 1 ? "" : "s"), each against the model's own top filler")
    }

    /// (text, position) of every `[MASK]` token.
    func masks() -> [(Int, Int)] {
        guard let maskID else { return [] }
        var result: [(Int, Int)] = []
        for (text, row) in batch.ids.enumerated() {
            for (position, id) in row.enumerated() where id == maskID && batch.attentionMask[text][position] != 0 {
                result.append((text, position))
            }
        }
        return result
    }

    /// Computes `lastTop` / `lastNorms` / `lastSimilarities` from `run` and writes them as lines.
    func describe(_ run: TransformerRun) throws -> [String] {
        lastTop = []
        lastNorms = []
        lastSimilarities = []
        var lines: [String] = []
        switch loaded.task {
        case .causalLanguageModel:
            guard let logits = run.logits else { return ["the model gave no logits"] }
            let positions = try Predictions.lastTokenPositions(attentionMask: attentionMask)
            for (text, position) in positions.enumerated() {
                let top = try Predictions.top(Self.topCount, logits: logits, batchIndex: text, position: position)
                lastTop.append(PredictionGroup(text: text, position: position, predictions: top))
                lines.append("text \(text + 1) \(Self.quoted(texts[text])) → next token:")
                lines += top.enumerated().map { "  \($0.offset + 1). \(Self.percent($0.element.probability))  \(readable($0.element.id))" }
            }
        case .maskedLanguageModel:
            guard let logits = run.logits else { return ["the model gave no logits"] }
            let positions = masks()
            if positions.isEmpty { lines.append("no [MASK] in the input: type a text with [MASK] (i) to see its fillers") }
            for (text, position) in positions {
                let top = try Predictions.top(Self.topCount, logits: logits, batchIndex: text, position: position)
                lastTop.append(PredictionGroup(text: text, position: position, predictions: top))
                lines.append("text \(text + 1) [MASK] at token \(position) → fillers:")
                lines += top.enumerated().map { "  \($0.offset + 1). \(Self.percent($0.element.probability))  \(readable($0.element.id))" }
            }
        case .sentenceEmbedding:
            guard let embedding = run.sentenceEmbedding else { return ["the model gave no sentence embedding"] }
            lastNorms = Predictions.norms(embedding)
            lines.append("sentence embeddings \(ShapeText.of(embedding.shape)), norms:")
            for (text, norm) in lastNorms.enumerated() {
                lines.append("  text \(text + 1) \(Self.quoted(texts[text])): \(String(format: "%.4f", norm))")
            }
            if texts.count > 1 { lines.append("cosine similarity:") }
            for i in 0 ..< texts.count {
                for j in i + 1 ..< texts.count {
                    let cosine = Predictions.cosineSimilarity(embedding, i, j)
                    lastSimilarities.append((i, j, cosine))
                    lines.append("  text \(i + 1) · text \(j + 1): \(String(format: "%.4f", cosine))")
                }
            }
        case .hiddenStates:
            lines.append("last hidden state \(ShapeText.of(run.lastHiddenState.shape)): no head to predict with")
        }
        return lines
    }

    /// The status line's summary of the last pass.
    func headline() -> String {
        if let first = lastTop.first, let best = first.predictions.first {
            let kind = loaded.task == .causalLanguageModel ? "next token" : "[MASK]"
            return "\(kind) \(readable(best.id)) \(Self.percent(best.probability))"
                + (lastTop.count > 1 ? " (+\(lastTop.count - 1) more in the root's pane)" : "")
        }
        if lastSimilarities.count == 1 { return "cosine similarity \(String(format: "%.4f", lastSimilarities[0].cosine))" }
        if !lastNorms.isEmpty { return "\(lastNorms.count) embeddings (similarities in the root's pane)" }
        if loaded.task == .maskedLanguageModel { return "no [MASK] in the input: type one with i" }
        return "last hidden state computed"
    }

    /// A token as people read it: GPT-2's byte-level pieces decoded (`Ġthe` → `" the"`), WordPiece's as spelled.
    /// A piece that is only part of a character (decoding gives U+FFFD) or nothing is shown as the vocabulary
    /// spells it.
    func readable(_ id: Int) -> String {
        let spelled = tokenizer.token(forID: id) ?? "#\(id)"
        guard loaded.config.isCausal else { return Self.quoted(spelled) }
        let decoded = tokenizer.decode([id])
        if decoded.isEmpty || decoded.unicodeScalars.contains(where: { $0 == "\u{FFFD}" || $0.value < 0x20 }) {
            return "token " + Self.quoted(spelled)
        }
        return Self.quoted(decoded)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    static func percent(_ probability: Float) -> String { String(format: "%5.1f%%", Double(probability) * 100) }

    /// A token of the header: the vocabulary's spelling, with invisible characters escaped.
    static func visible(_ token: String) -> String {
        token.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "Ċ", with: "\\n")
    }
}
