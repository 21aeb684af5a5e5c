import Architectures
import Foundation
import NNCore

/// What `nnview run` prints: the tokens of each text and what the model says about them, as text or JSON.
struct RunReport {
    let loaded: LoadedTransformer
    let batch: RunBatch
    let result: TransformerRun
    let loss: Float?
    let labelCount: Int?
    let top: Int

    /// A prediction with its token spelled when a tokenizer knows it.
    struct Shown {
        let prediction: TokenPrediction
        let token: String?
    }

    /// Per text: the next-token predictions (causal LMs) or the mask fills by position (masked LMs).
    func predictions(text index: Int) throws -> (next: [Shown]?, fills: [(position: Int, predictions: [Shown])]) {
        guard let logits = result.logits else { return (nil, []) }
        let spell = { (predictions: [TokenPrediction]) in predictions.map { Shown(prediction: $0, token: batch.tokenText($0.id)) } }
        switch loaded.task {
        case .causalLanguageModel:
            let position = try Predictions.lastTokenPositions(attentionMask: batch.attentionMask)[index]
            return (spell(try Predictions.top(top, logits: logits, batchIndex: index, position: position)), [])
        case .maskedLanguageModel:
            guard let maskID = batch.maskID else { return (nil, []) }
            let width = batch.inputIDs.shape[1]
            let ids = batch.inputIDs.toArray()
            let positions = (0 ..< width).filter { ids[index * width + $0] == Float(maskID) }
            return (nil, try positions.map { ($0, spell(try Predictions.top(top, logits: logits, batchIndex: index, position: $0))) })
        default:
            return (nil, [])
        }
    }

    func tokens(text index: Int) -> [String] {
        if let tokens = batch.tokens { return Array(tokens[index].prefix(batch.length(index))) }
        let width = batch.inputIDs.shape[1]
        let ids = batch.inputIDs.toArray()
        return (0 ..< batch.length(index)).map { "#\(Int(ids[index * width + $0]))" }
    }

    static func format(_ value: Float) -> String { String(format: "%.4f", value) }

    func describe(_ shown: Shown) -> String {
        "\(shown.token.map { "'\($0)'" } ?? "#\(shown.prediction.id)") \(Self.format(shown.prediction.probability))"
    }

    func text() throws -> String {
        let config = loaded.config
        var lines = ["\(loaded.source): \(config.architecture) (\(config.layerCount) layers, \(config.hiddenSize) wide, \(config.headCount) heads, vocabulary \(config.vocabSize)) · \(batch.texts.count) text\(batch.texts.count == 1 ? "" : "s") · \(batch.inputIDs.shape[1]) positions"]
        for index in batch.texts.indices {
            let tokens = tokens(text: index)
            lines.append("text \(index + 1): \(batch.texts[index])")
            lines.append("  tokens (\(tokens.count)): " + tokens.joined(separator: " "))
            let (next, fills) = try predictions(text: index)
            if let next { lines.append("  next token: " + next.map(describe).joined(separator: " · ")) }
            for (position, predictions) in fills {
                lines.append("  [MASK] at \(position): " + predictions.map(describe).joined(separator: " · "))
            }
            if let embedding = result.sentenceEmbedding {
                lines.append("  embedding norm \(Self.format(Predictions.norms(embedding)[index]))")
            }
        }
        if let embedding = result.sentenceEmbedding, batch.texts.count > 1 {
            var pairs: [String] = []
            for i in batch.texts.indices { for j in batch.texts.indices where j > i {
                pairs.append("\(i + 1)–\(j + 1) \(Self.format(Predictions.cosineSimilarity(embedding, i, j)))")
            } }
            lines.append("cosine similarity: " + pairs.joined(separator: " · "))
        }
        if let loss {
            lines.append("loss \(loss) (\(loaded.config.isCausal ? "next token, shifted" : "labelled positions"), \(labelCount ?? 0) labels) · backward done")
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        var texts: [[String: Any]] = []
        for index in batch.texts.indices {
            let width = batch.inputIDs.shape[1]
            let ids = batch.inputIDs.toArray()
            var entry: [String: Any] = [
                "text": batch.texts[index], "tokens": tokens(text: index),
                "input_ids": (0 ..< batch.length(index)).map { Int(ids[index * width + $0]) },
            ]
            let shown = { (list: [Shown]) -> [[String: Any]] in
                list.map { ["id": $0.prediction.id, "token": $0.token ?? NSNull(), "probability": Double($0.prediction.probability)] }
            }
            let (next, fills) = try predictions(text: index)
            if let next { entry["next_token"] = shown(next) }
            if !fills.isEmpty { entry["mask_fills"] = fills.map { ["position": $0.position, "predictions": shown($0.predictions)] } }
            if let embedding = result.sentenceEmbedding { entry["embedding_norm"] = Double(Predictions.norms(embedding)[index]) }
            texts.append(entry)
        }
        var object: [String: Any] = ["model": loaded.source, "architecture": loaded.config.architecture,
                                     "task": loaded.task.rawValue, "texts": texts]
        if let embedding = result.sentenceEmbedding {
            var similarity: [[Double]] = []
            for i in batch.texts.indices {
                similarity.append(batch.texts.indices.map { Double(Predictions.cosineSimilarity(embedding, i, $0)) })
            }
            object["cosine_similarity"] = similarity
        }
        if let loss { object["loss"] = Double(loss); object["labels"] = labelCount ?? 0 }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
