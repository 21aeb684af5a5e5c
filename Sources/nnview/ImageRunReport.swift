import Architectures
import Foundation
import Images
import NNCore

/// What `nnview run --image/--input` prints: per image the top-K classes with their probabilities (softmax of the
/// logits), named as ImageNet's classes when the model has 1,000 outputs, as text or JSON.
struct ImageRunReport {
    /// One class of one image's top-K.
    struct Prediction: Equatable {
        let index: Int
        let label: String
        let probability: Float
    }

    let model: String
    let architecture: VisionArchitectureName
    let recognised: Bool
    let batch: ImageBatch
    let classCount: Int
    /// Per image, the top-K classes, most probable first.
    let top: [[Prediction]]

    /// The report of `logits` [N, classes]: probabilities by softmax over each row, the `k` most probable classes
    /// (the lower index first among equals).
    init(model: String, architecture: VisionArchitectureName, recognised: Bool, batch: ImageBatch, logits: Tensor, k: Int) throws {
        self.model = model
        self.architecture = architecture
        self.recognised = recognised
        self.batch = batch
        classCount = logits.shape[1]
        let probabilities = try logits.softmax(dim: 1).toArray()
        let classes = classCount
        top = (0 ..< logits.shape[0]).map { row in
            let base = row * classes
            // NaN (from a NaN input) sorts last, so the order stays a strict weak ordering.
            let key = { (index: Int) -> Float in probabilities[base + index].isNaN ? -.infinity : probabilities[base + index] }
            let order = (0 ..< classes).sorted { key($0) != key($1) ? key($0) > key($1) : $0 < $1 }
            return order.prefix(k).map { Prediction(index: $0, label: Self.label(of: $0, classCount: classes), probability: probabilities[base + $0]) }
        }
    }

    /// ImageNet's name of class `index` for a 1,000-class model, else `class N`.
    static func label(of index: Int, classCount: Int) -> String {
        classCount == ImageNetClasses.count ? ImageNetClasses.name(forIndex: index) ?? "class \(index)" : "class \(index)"
    }

    func text() -> String {
        let shape = batch.input.shape
        let how = recognised ? "recognised from its names and shapes" : "as --arch says"
        let images = shape[0] == 1 ? "1 image" : "\(shape[0]) images"
        var lines = ["\(model): \(architecture.rawValue) (\(how)), \(classCount) classes · \(images) · input \(shape) · eval mode"]
        for (index, predictions) in top.enumerated() {
            lines.append("image \(index + 1): \(batch.sources[index])")
            for prediction in predictions {
                lines.append(String(format: "  %6.2f %%  ", Double(prediction.probability) * 100) + "\(prediction.label) (\(prediction.index))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `{"top": [{"index", "label", "probability"}, …]}` for one image; with several, `images` lists each image's
    /// `source` and `top` (always present, so a script reads every batch the same way); `model`, `architecture`,
    /// `classes` and `input_shape` describe the run.
    func json() throws -> String {
        let entries = top.map { predictions in
            predictions.map { prediction -> [String: Any] in
                // A Float's shortest spelling (0.7166, not 0.71660000085830688); null for NaN, which JSON lacks.
                let probability: Any = prediction.probability.isFinite ? Double("\(prediction.probability)") ?? 0 : NSNull()
                return ["index": prediction.index, "label": prediction.label, "probability": probability]
            }
        }
        var object: [String: Any] = [
            "model": model, "architecture": architecture.rawValue, "classes": classCount, "input_shape": batch.input.shape,
            "images": zip(batch.sources, entries).map { ["source": $0, "top": $1] as [String: Any] },
        ]
        if entries.count == 1 { object["top"] = entries[0] }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
