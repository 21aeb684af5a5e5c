// Hooks for the readers that live in Sources/ModelFiles/PyTorch and Sources/ModelFiles/GGUF.
// Each format has exactly one dispatch function here: the helper writing that reader replaces the `throw` with a
// call into their code. Nothing else in ModelFiles needs to change.

extension ModelFileReader {
    /// PyTorch checkpoints (`torch.save`, any file name). `zip` is the already validated archive for the zip
    /// format (torch ≥ 1.6), nil for the legacy pickle format.
    ///
    /// PYTORCH HOOK: replace the body with `try PyTorchCheckpoint.read(path: path, buffer: buffer, zip: zip)`.
    static func readPyTorch(path: String, buffer: ByteBuffer, zip: ZipArchiveReader? = nil) throws -> TensorArchive {
        throw ModelFileError("PyTorch checkpoints are not supported yet", file: path)
    }

    /// GGUF files.
    ///
    /// GGUF HOOK: replace the body with a call to the GGUF reader.
    static func readGGUF(path: String, buffer: ByteBuffer) throws -> TensorArchive {
        throw ModelFileError("GGUF files are not supported yet", file: path)
    }
}
