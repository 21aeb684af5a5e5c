#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNCore
import NNModules

/// A model as nnview opens it: either a live architecture (from a .nn spec, optionally with weights bound to it)
/// that can run forward and backward, or a weights file alone, browsed by its dotted names.
public struct LoadedModel {
    /// What was opened.
    public enum Content {
        /// A spec, built, with lazy layers materialised and any `--weights` loaded into it.
        case live(ModelSpec)
        /// A weights file or model folder, not read beyond its headers.
        case weights(TensorArchive)
    }

    /// The model itself.
    public var content: Content
    /// A short name for headers ("tied", "model.safetensors").
    public var name: String
    /// Where it came from ("built-in examples/tied.nn", a path).
    public var source: String
    /// The weights file bound to a spec, if any.
    public var weightsSource: String?
    /// File metadata (safetensors `__metadata__`, GGUF key-values, config.json), in file order.
    public var metadata: [(key: String, value: String)]

    /// The spec of a live model, nil in browse mode.
    public var spec: ModelSpec? {
        if case .live(let spec) = content { return spec }
        return nil
    }

    /// The archive of a weights file opened alone, nil for a live model.
    public var archive: TensorArchive? {
        if case .weights(let archive) = content { return archive }
        return nil
    }
}

/// Opens what a person names on the command line: a built-in model, a .nn file, a weights file or a folder.
public enum ModelLoader {
    /// Opens `argument`. A name in `BuiltinModels.names` opens the built-in spec; a path ending in `.nn` (or any
    /// file that isn't a recognised weights format but parses as a spec) opens as a spec; anything else as weights.
    /// `weights` binds a weights file to the spec by state-dict name (`strict`: every name must match).
    public static func load(_ argument: String, weights: String? = nil, strict: Bool = true) throws -> LoadedModel {
        var loaded: LoadedModel
        if let source = BuiltinModels.source(of: argument), !fileExists(argument) {
            let spec = try ModelSpec.parse(source, file: "examples/\(argument).nn")
            loaded = LoadedModel(content: .live(spec), name: argument, source: "built-in examples/\(argument).nn",
                                 weightsSource: nil, metadata: [])
        } else if argument.hasSuffix(".nn") {
            let spec = try ModelSpec.load(path: argument)
            loaded = LoadedModel(content: .live(spec), name: baseName(argument), source: argument,
                                 weightsSource: nil, metadata: [])
        } else {
            guard fileExists(argument) else {
                let names = BuiltinModels.names.joined(separator: ", ")
                throw ModelFileError("no such file, and not a built-in model (built-in: \(names))", file: argument)
            }
            let archive = try ModelFileReader.open(path: argument)
            if weights != nil {
                throw ModelFileError("--weights needs a .nn spec or a built-in model to bind to, not a weights file",
                                     file: argument)
            }
            return LoadedModel(content: .weights(archive), name: baseName(argument), source: argument,
                               weightsSource: nil, metadata: archive.metadata)
        }
        if let weights, let spec = loaded.spec {
            let archive = try ModelFileReader.open(path: weights)
            try spec.model.loadWeights(from: archive, strict: strict)
            loaded.weightsSource = weights
            loaded.metadata = archive.metadata
        }
        return loaded
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func baseName(_ path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? path
    }
}
