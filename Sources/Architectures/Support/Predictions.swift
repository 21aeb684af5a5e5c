import Foundation
import NNCore

/// One predicted token: its id and probability.
public struct TokenPrediction: Equatable, Sendable {
    public let id: Int
    public let probability: Float
}

/// What a model says about a batch, in the form `nnview run` and the explorer show it.
public enum Predictions {
    /// The `k` most probable tokens (softmax over the vocabulary) at `position` of text `batchIndex` of
    /// `logits` [B, T, V], most probable first (ties: lower id first).
    public static func top(_ k: Int, logits: Tensor, batchIndex: Int, position: Int) throws -> [TokenPrediction] {
        let row = try logits.select(dim: 0, index: batchIndex).select(dim: 0, index: position)
        let values = row.toArray()
        guard let largest = values.max() else { return [] }
        var total = 0.0
        for value in values { total += exp(Double(value - largest)) }
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        return order.prefix(max(k, 0)).map {
            TokenPrediction(id: $0, probability: Float(exp(Double(values[$0] - largest)) / total))
        }
    }

    /// The position of each text's last real token (attention mask 1), the one a causal LM's next-token
    /// prediction is read at.
    public static func lastTokenPositions(attentionMask: Tensor) throws -> [Int] {
        let (batch, length) = (attentionMask.shape[0], attentionMask.shape[1])
        let mask = attentionMask.toArray()
        return (0 ..< batch).map { b in
            (0 ..< length).last { mask[b * length + $0] != 0 } ?? 0
        }
    }

    /// The Euclidean norm of each row of `embeddings` [B, H].
    public static func norms(_ embeddings: Tensor) -> [Float] {
        let (batch, width) = (embeddings.shape[0], embeddings.shape[1])
        let values = embeddings.toArray()
        return (0 ..< batch).map { b in
            Float((0 ..< width).reduce(0.0) { $0 + Double(values[b * width + $1]) * Double(values[b * width + $1]) }.squareRoot())
        }
    }

    /// The cosine similarity of rows `i` and `j` of `embeddings` [B, H].
    public static func cosineSimilarity(_ embeddings: Tensor, _ i: Int, _ j: Int) -> Float {
        let width = embeddings.shape[1]
        let values = embeddings.toArray()
        var dot = 0.0, normI = 0.0, normJ = 0.0
        for c in 0 ..< width {
            let a = Double(values[i * width + c]), b = Double(values[j * width + c])
            dot += a * b
            normI += a * a
            normJ += b * b
        }
        return Float(dot / max((normI * normJ).squareRoot(), 1e-12))
    }
}
