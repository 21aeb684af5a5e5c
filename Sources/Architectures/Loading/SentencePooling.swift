import Foundation
import NNCore
import ModelFiles

/// How a sentence-transformers folder turns hidden states into one embedding per text: its `modules.json`
/// (Transformer → Pooling → optional Normalize) and `1_Pooling/config.json`.
public struct SentencePooling: Sendable, Equatable {
    /// The pooling of the token states.
    public enum Mode: String, Sendable {
        /// The mean over the tokens the attention mask keeps.
        case mean
        /// The first token's state ([CLS]).
        case cls
    }

    public var mode: Mode
    /// L2-normalise the pooled vector (a Normalize module follows the pooling).
    public var normalize: Bool
    /// The folder of the Transformer module, relative to the model folder ("" for the folder itself).
    public var transformerPath: String

    /// The largest modules.json or pooling config read.
    static let maximumFileSize = 1 << 20

    /// Reads `modules.json` in `folder`, or returns nil when there is none (a plain transformers folder).
    static func read(folder: String) throws -> SentencePooling? {
        let modulesPath = folder + "/modules.json"
        guard FileManager.default.fileExists(atPath: modulesPath) else { return nil }
        guard case let list as [Any] = try readJSON(modulesPath) else {
            throw ModelFileError("not a list of modules", file: modulesPath)
        }
        guard list.count <= 16 else { throw ModelFileError("\(list.count) modules, more than the 16 nnview reads", file: modulesPath) }
        var transformerPath: String?
        var poolingPath: String?
        var normalize = false
        for (index, item) in list.enumerated() {
            guard let module = item as? [String: Any], let type = module["type"] as? String else {
                throw ModelFileError("[\(index)].type: missing or not a string", file: modulesPath)
            }
            let path = module["path"] as? String ?? ""
            guard !path.contains(".."), !path.hasPrefix("/") else {
                throw ModelFileError("[\(index)].path: \(path.prefix(60)) leaves the model folder", file: modulesPath)
            }
            switch type {
            case "sentence_transformers.models.Transformer":
                guard index == 0 else { throw ModelFileError("[\(index)]: the Transformer must come first", file: modulesPath) }
                transformerPath = path
            case "sentence_transformers.models.Pooling": poolingPath = path
            case "sentence_transformers.models.Normalize": normalize = true
            default:
                throw ModelFileError("[\(index)].type: \(type.prefix(80)) is not a module nnview runs (Transformer, Pooling, Normalize)",
                                     file: modulesPath)
            }
        }
        guard let transformerPath else { throw ModelFileError("no sentence_transformers.models.Transformer module", file: modulesPath) }
        guard let poolingPath else { throw ModelFileError("no sentence_transformers.models.Pooling module", file: modulesPath) }
        let poolingConfig = folder + "/" + poolingPath + "/config.json"
        guard case let pooling as [String: Any] = try readJSON(poolingConfig) else {
            throw ModelFileError("not an object", file: poolingConfig)
        }
        let modes = ["pooling_mode_mean_tokens": Mode.mean, "pooling_mode_cls_token": .cls]
        let chosen = pooling.keys.filter { $0.hasPrefix("pooling_mode_") && (pooling[$0] as? Bool) == true }
        guard chosen.count == 1, let mode = modes[chosen[0]] else {
            throw ModelFileError("pooling_mode_*: nnview pools by exactly one of mean_tokens or cls_token, found \(chosen.sorted())",
                                 file: poolingConfig)
        }
        return SentencePooling(mode: mode, normalize: normalize, transformerPath: transformerPath)
    }

    /// The sentence embeddings [B, H] of hidden states [B, T, H].
    public func embed(_ hidden: Tensor, attentionMask: Tensor) throws -> Tensor {
        let pooled = mode == .mean ? try maskedMeanPool(hidden, attentionMask: attentionMask)
            : try hidden.select(dim: 1, index: 0)
        return normalize ? try pooled.l2Normalized(dim: -1) : pooled
    }

    private static func readJSON(_ path: String) throws -> Any {
        let buffer: ByteBuffer
        do {
            buffer = try ByteBuffer.map(path: path)
        } catch {
            throw ModelFileError("cannot be read", file: path)
        }
        guard buffer.count <= maximumFileSize else {
            throw ModelFileError("\(buffer.count) bytes, more than the \(maximumFileSize)-byte limit", file: path)
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(buffer.bytes))
        } catch {
            throw ModelFileError("not valid JSON", file: path)
        }
    }
}
