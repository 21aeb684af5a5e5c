import Foundation

/// Opens a Hugging Face model folder as one archive: the weights (`model.safetensors.index.json`,
/// `model.safetensors`, `pytorch_model.bin.index.json` or `pytorch_model.bin`, in that order of preference) with `config.json` flattened into
/// the metadata (`hidden_size`, `rope_scaling.type`, …).
public enum ModelFolderReader {
    /// Largest config.json read.
    public static let maximumConfigSize = 10_000_000

    /// Weight files looked for, in order of preference.
    public static let weightFileNames = ["model.safetensors.index.json", "model.safetensors", "pytorch_model.bin.index.json",
                                         "pytorch_model.bin"]

    /// Whether `path` is a folder holding one of the weight files.
    public static func isModelFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return false }
        return weightFileNames.contains { FileManager.default.fileExists(atPath: path + "/" + $0) }
    }

    /// Reads the folder at `path`.
    public static func read(path: String) throws -> TensorArchive {
        let fileManager = FileManager.default
        guard let weights = weightFileNames.first(where: { fileManager.fileExists(atPath: path + "/" + $0) }) else {
            // Name the weights files that are there, so the person can open one directly.
            let extensions = [".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".npz", ".npy"]
            let found = ((try? fileManager.contentsOfDirectory(atPath: path)) ?? []).filter { name in
                extensions.contains { name.lowercased().hasSuffix($0) }
            }.sorted()
            var message = "folder holds none of \(weightFileNames.joined(separator: ", "))"
            if !found.isEmpty {
                let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
                message += "; it holds \(found.prefix(3).joined(separator: ", "))\(found.count > 3 ? ", …" : ""): "
                    + "open the file itself (nnview \(trimmed)/\(found[0]))"
            }
            throw ModelFileError(message, file: path)
        }
        let weightsPath = path + "/" + weights
        var archive: TensorArchive
        switch weights {
        case "model.safetensors.index.json", "pytorch_model.bin.index.json":
            archive = try ModelFileReader.convert { try SafeTensorsIndex.read(path: weightsPath) }
        case "model.safetensors": archive = try ModelFileReader.convert { try SafeTensorsReader.read(path: weightsPath) }
        default: archive = try ModelFileReader.readPyTorch(path: weightsPath, buffer: ByteBuffer.map(path: weightsPath))
        }
        let configPath = path + "/config.json"
        if fileManager.fileExists(atPath: configPath) {
            archive.metadata = try flattenedConfig(path: configPath) + archive.metadata
        }
        archive.source = path
        archive.format = "folder/" + archive.format
        return archive
    }

    /// config.json as `key: value` lines: nested objects become dotted keys, arrays compact JSON, strings as is.
    static func flattenedConfig(path: String) throws -> [(key: String, value: String)] {
        let buffer = try ByteBuffer.map(path: path)
        guard buffer.count <= maximumConfigSize else {
            throw ModelFileError("config.json is \(buffer.count) bytes, more than the \(maximumConfigSize)-byte limit", file: path)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(buffer.bytes)
        } catch {
            throw ModelFileError("config.json is not valid JSON: \(error)", file: path)
        }
        guard case .object = json else { throw ModelFileError("config.json is \(json.kind), not an object", file: path) }
        var result: [(key: String, value: String)] = []
        func flatten(_ value: JSONValue, prefix: String) {
            if case .object(let members) = value {
                for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            } else {
                result.append((prefix, value.displayText))
            }
        }
        flatten(json, prefix: "")
        return result
    }
}
