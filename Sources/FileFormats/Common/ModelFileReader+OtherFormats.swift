// Dispatch to the readers that live in Sources/ModelFiles/PyTorch, Sources/ModelFiles/GGUF and Sources/ModelFiles/ONNX.

extension ModelFileReader {
    /// PyTorch checkpoints (`torch.save`, any file name). `zip` is the already validated archive for the zip
    /// format (torch ≥ 1.6), nil for the legacy pickle format.
    static func readPyTorch(path: String, buffer: ByteBuffer, zip: ZipArchiveReader? = nil) throws -> TensorArchive {
        try PyTorchCheckpoint.read(path: path, buffer: buffer, zip: zip)
    }

    /// GGUF files.
    static func readGGUF(path: String, buffer: ByteBuffer) throws -> TensorArchive {
        try GGUFReader.read(buffer: buffer, source: path)
    }
}

extension ModelFileReader {
    /// ONNX models: the initializers as records, the model itself in `TensorArchive.onnx`; external data is looked
    /// up beside the file.
    static func readONNX(path: String, buffer: ByteBuffer) throws -> TensorArchive {
        ONNXReader.archive(of: try ONNXReader.read(buffer: buffer, source: path,
                                                   externalDataFolder: ONNXReader.folder(of: path)))
    }
}
