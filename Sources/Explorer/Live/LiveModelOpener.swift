import Architectures
import ModelFiles

/// Decides whether a path opens live: a transformers folder, a sentence-transformers folder or a llama GGUF file of
/// an architecture nnview builds runs, and so does an ONNX file (its graph interpreted); anything else (a bare weights
/// file, a GGUF of another architecture, a folder whose config names an unknown model) is browsed, with the reason it
/// is not live.
public enum LiveModelOpener {
    /// What opening `path` gave.
    public enum Outcome {
        /// A runnable model.
        case live(any LiveSession)
        /// Not a runnable model: browse it. `reason` says why, when the path looked like a model but failed.
        case browse(reason: String?)
    }

    /// Opens `path` live if it is a model nnview runs; `archive` is the file as already opened for browsing (a
    /// torchvision checkpoint is recognised from its names and shapes, an ONNX file carries its graph).
    /// `inputFile` is an ONNX graph's input (a safetensors file); without one it runs on a seeded random input.
    public static func open(path: String, archive: TensorArchive? = nil, inputFile: String? = nil) -> Outcome {
        if let onnx = archive?.onnx {
            do {
                return .live(try LiveONNXSession.open(onnx, path: path, inputFile: inputFile))
            } catch {
                return .browse(reason: "\(error)")
            }
        }
        guard TransformerLoader.canLoad(path: path) else {
            guard let archive, (try? VisionArchitecture.recognize(archive)) != nil else { return .browse(reason: nil) }
            do {
                let (name, network) = try VisionArchitecture.load(archive)
                return .live(LiveImageSession(network: network, architecture: name))
            } catch {
                return .browse(reason: "\(error)")
            }
        }
        do {
            return .live(try LiveTransformerSession(try TransformerLoader.load(path: path)))
        } catch {
            return .browse(reason: "\(error)")
        }
    }
}
