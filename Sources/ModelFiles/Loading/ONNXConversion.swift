/// `.onnx` as an output of `ModelConverter` (`nnview convert`, the explorer's `w`/`W`): the ONNX file the archive
/// was read from, written again by `ONNXWriter` with each initializer whose tensor the archive now holds elsewhere
/// (an edit, or a live model's values) replaced by the archive's values in the initializer's own data type.
enum ONNXConversion {
    /// Whether `archive` comes from an ONNX file (browsed, or a live ONNX model's state dict named after it).
    static func isONNX(_ archive: TensorArchive) -> Bool {
        archive.format == "onnx" || archive.source.lowercased().hasSuffix(".onnx")
    }

    static func write(_ archive: TensorArchive, to path: String) throws -> ModelConverter.Report {
        guard isONNX(archive) else {
            throw ModelFileError("an .onnx file is written from an ONNX model (its graph is copied), not from "
                + "\(archive.format); write .safetensors or .npz", file: path)
        }
        // The file as it is now: records still pointing at the same bytes of it are not rewritten.
        let original = try ONNXReader.read(path: archive.source)
        var initializers: [String: ONNXTensor] = [:]
        for tensor in original.graph.initializers { initializers[tensor.name] = tensor }
        var replacing: [String: [UInt8]] = [:]
        for record in archive.tensors {
            // Names that are not initializers (an Identity alias) are written through the initializer they copy.
            guard let tensor = initializers[record.name], replacing[record.name] == nil else { continue }
            if let storage = tensor.storage, storage.key == record.storage.key, storage.byteCount == record.storage.byteCount {
                continue
            }
            guard let type = tensor.dataType.elementType else {
                throw ModelFileError("initializer \"\(record.name)\" has ONNX type \(tensor.dataType.name), which nnview "
                    + "does not write", file: path)
            }
            guard record.shape == tensor.dims || record.elementCount == tensor.elementCount else {
                throw ModelFileError("tensor \"\(record.name)\" has shape \(record.shape) but the initializer is "
                    + "\(tensor.dims)", file: path)
            }
            try ModelConverter.attributed(to: archive.source, record.name) {
                if record.type == type {
                    replacing[record.name] = Array(try record.rowMajorBytes().bytes)
                } else {
                    let values = try record.floatValues(limit: TensorLimits.maxElements)
                    replacing[record.name] = try ElementEncoder.bytes(of: values, as: type)
                }
            }
        }
        try ONNXWriter.write(original: archive.source, replacing: replacing, to: path)
        return ModelConverter.Report(tensorCount: original.graph.initializers.count, convertedToFloat32: [], aliases: [])
    }
}
