import Foundation
import ModelFiles

/// Where and how `w`/`W` write: `~` expanded, the format chosen by the extension (as `nnview convert` does), a
/// folder or an unknown extension refused before anything is asked, and the status line's account of what was
/// written.
enum SavePath {
    /// `~` and `~/…` as the home folder.
    static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return NSString(string: path).expandingTildeInPath
    }

    /// The output format of `path`; throws for a folder or an extension nnview cannot write.
    static func format(of path: String) throws -> ModelConverter.Format {
        var isFolder: ObjCBool = false
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue) {
            throw ExplorerError("save: \(path) is a folder: give a file name ending .safetensors, .npz, .npy or (for a GGUF or ONNX model) .gguf or .onnx (nothing saved)")
        }
        guard let format = ModelConverter.Format(path: path) else {
            let name = URL(fileURLWithPath: path).lastPathComponent
            throw ExplorerError("save: nnview cannot write '\(name)': name the file .safetensors, .npz, .npy or (for a GGUF or ONNX model) .gguf or .onnx (nothing saved)")
        }
        return format
    }

    /// The extension `w` saves a browsed file with: its own format where nnview writes it back whole (GGUF keeps
    /// its blocks and metadata, ONNX its graph), else safetensors.
    static func editedExtension(archiveFormat: String?) -> String {
        switch archiveFormat {
        case "gguf": return ".edited.gguf"
        case "onnx": return ".edited.onnx"
        default: return ".edited.safetensors"
        }
    }

    /// "6 tensors and 2 aliases", "1 tensor"; tensors converted to F32 are named.
    static func describe(_ report: ModelConverter.Report) -> String {
        var text = "\(report.tensorCount) tensor" + (report.tensorCount == 1 ? "" : "s")
        if !report.aliases.isEmpty {
            text += " and \(report.aliases.count) alias" + (report.aliases.count == 1 ? "" : "es")
        }
        if !report.convertedToFloat32.isEmpty {
            text += " (\(report.convertedToFloat32.count) stored as F32, which the format holds: "
                + report.convertedToFloat32.prefix(3).joined(separator: ", ")
                + (report.convertedToFloat32.count > 3 ? ", …)" : ")")
        }
        return text
    }
}
