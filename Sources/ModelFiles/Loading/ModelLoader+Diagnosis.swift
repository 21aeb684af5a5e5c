extension ModelLoader {
    /// `load`, with errors explained as precisely as the file's name allows (see `explained(_:)`). The command line
    /// opens every MODEL and --weights argument through this.
    public static func loadExplainingErrors(_ argument: String, weights: String? = nil, strict: Bool = true) throws -> LoadedModel {
        do {
            return try load(argument, weights: weights, strict: strict)
        } catch let error as ModelFileError {
            throw explained(error)
        }
    }

    /// Format sniffing looks at content only, so a safetensors file whose header length is broken (too small, over
    /// the 100 MB limit, past the end of the file) is merely "unrecognised". When such a file is named
    /// `*.safetensors`, the person meant safetensors: this returns the safetensors rule it breaks instead
    /// (`HeaderTooLarge: header length … is more than the …-byte limit`). Other errors come back unchanged.
    public static func explained(_ original: ModelFileError) -> ModelFileError {
        guard original.file.lowercased().hasSuffix(".safetensors"),
              original.message.hasPrefix("unrecognised file format") else { return original }
        do {
            _ = try SafeTensorsReader.read(path: original.file)
        } catch let precise as SafeTensorsError {
            return precise.modelFileError
        } catch {
            return original
        }
        return original
    }
}
