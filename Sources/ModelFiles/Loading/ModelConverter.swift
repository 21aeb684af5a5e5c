/// Writes the tensors of any file nnview reads (or a live model's state dict) as safetensors, `.npz` or `.npy`,
/// or a GGUF model as `.gguf` and an ONNX model as `.onnx`, chosen by the output's extension (`nnview convert IN OUT`).
public enum ModelConverter {
    /// The output formats, by extension.
    public enum Format: String, CaseIterable, Sendable {
        case safetensors, npz, npy, gguf, onnx

        /// The format `path`'s extension names, or nil.
        public init?(path: String) {
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
            self.init(rawValue: path[path.index(after: dot)...].lowercased())
        }
    }

    /// What a conversion did.
    public struct Report: Sendable {
        /// Tensors written (each tie once for safetensors).
        public var tensorCount: Int
        /// Names whose values were converted to float32 because the output format cannot store their type.
        public var convertedToFloat32: [String]
        /// Names stored as aliases of another (safetensors ties).
        public var aliases: [String]
    }

    /// Writes `archive` to `path` in `format`, atomically. safetensors keeps ties (each tied tensor stored once,
    /// the other names as `__metadata__` aliases) and string metadata; npz stores every name separately
    /// (NumPy has no ties) and drops metadata; npy needs exactly one tensor; gguf needs a GGUF input, whose
    /// metadata it copies, and keeps every tensor's ggml type; onnx needs an ONNX input (`ONNXConversion`).
    public static func convert(_ archive: TensorArchive, to path: String, format: Format) throws -> Report {
        switch format {
        case .safetensors:
            var tensors: [SafeTensorsWriter.Tensor] = []
            var converted: [String] = []
            for record in archive.tensors {
                try attributed(to: archive.source, record.name) {
                    if record.type.bitsPerElement == nil {
                        // ggml blocks have no safetensors dtype: store their float32 values.
                        let values = try record.floatValues(limit: TensorLimits.maxElements)
                        let bytes = values.withUnsafeBytes { ByteBuffer(copying: $0) }
                        tensors.append(SafeTensorsWriter.Tensor(name: record.name, type: .f32, shape: record.shape,
                                                                buffer: bytes, tie: record.tieKey))
                        converted.append(record.name)
                    } else {
                        var tensor = try SafeTensorsWriter.Tensor(record: record)
                        tensor.tie = record.tieKey
                        tensors.append(tensor)
                    }
                }
            }
            let aliases = archive.tiedGroups.flatMap { group in group.filter { $0 != group.min()! } }
            try SafeTensorsWriter.write(tensors: tensors, metadata: archive.metadata, to: path, storeTiedOnce: true)
            return Report(tensorCount: tensors.count - aliases.count, convertedToFloat32: converted, aliases: aliases)
        case .npz:
            let converted = try attributed(to: archive.source, nil) { try NumPyWriter.writeArchive(archive.tensors, to: path) }
            return Report(tensorCount: archive.tensors.count, convertedToFloat32: converted, aliases: [])
        case .gguf:
            guard archive.format == "gguf" else {
                throw ModelFileError("a .gguf file is written from a GGUF model (its metadata is copied), not from \(archive.format); write .safetensors or .npz",
                                     file: path)
            }
            let original = try originalGGUF(of: archive)
            try attributed(to: archive.source, nil) { try GGUFWriter.write(tensors: archive.tensors, metadataFrom: original, to: path) }
            return Report(tensorCount: archive.tensors.count, convertedToFloat32: [], aliases: [])
        case .onnx:
            return try ONNXConversion.write(archive, to: path)
        case .npy:
            guard archive.tensors.count == 1, let record = archive.tensors.first else {
                throw ModelFileError("a .npy file holds one array, but the input has \(archive.tensors.count) tensors; write .npz or .safetensors",
                                     file: path)
            }
            let converted = try attributed(to: archive.source, nil) { try NumPyWriter.writeArray(record, to: path) }
            return Report(tensorCount: 1, convertedToFloat32: converted ? [record.name] : [], aliases: [])
        }
    }

    /// The GGUF file `archive` was read from: the mapping its unedited tensors still point into (valid even if
    /// the file was replaced since), else the file at its source path.
    static func originalGGUF(of archive: TensorArchive) throws -> ByteBuffer {
        for record in archive.tensors where record.storage.key == record.name && record.storage.byteOffset > 0
            && GGUFReader.looksLikeGGUF(record.storage.buffer.bytes) {
            return record.storage.buffer
        }
        return try ByteBuffer.map(path: archive.source)
    }

    /// Runs `body`, naming the input file (and tensor) in errors that don't name a file yet.
    static func attributed<T>(to source: String, _ tensorName: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelFileError where error.file.isEmpty {
            // Decoders that already name the tensor (`tensor q.TQ1_0: …`) are not prefixed a second time.
            let message = tensorName.map { name in
                error.message.hasPrefix("tensor \(name):") ? error.message : "tensor \"\(name)\": \(error.message)"
            } ?? error.message
            throw ModelFileError(message, file: source)
        } catch let error as SafeTensorsError {
            throw error.modelFileError
        }
    }
}
