// Dispatch to the readers that live in Sources/ModelFiles/PyTorch and Sources/ModelFiles/GGUF.

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
