/// Reads files written by `torch.save` — any name (`.pt`, `.pth`, `.bin`, `mlp.params`) — without running them.
///
/// Both the zip format (torch ≥ 1.6) and the legacy format are read; the pickled object goes through
/// `RestrictedUnpickler`, so only torch's `weights_only` globals are accepted. State dicts, dicts, lists and single
/// tensors become named records (`"0.weight"`, `"0"`, `"tensor"`), nested containers joined with dots. Storages
/// stay where they are in the mapped file; records that share a storage carry the same storage key (tied weights).
public enum PyTorchCheckpoint {
    /// Reads the checkpoint in `buffer`; errors are attributed to `source`.
    public static func read(buffer: ByteBuffer, source: String) throws -> TensorArchive {
        do {
            let bytes = buffer.bytes
            if bytes.count >= 8, Array(bytes[0 ..< 8]) == Array("PYTORCH1".utf8) {
                throw ModelFileError("the PYTORCH1 preview format (torch < 1.6 nightly) is not supported; re-save the file")
            }
            if ZipArchiveReader.looksLikeZip(bytes) {
                return try readZip(ZipArchiveReader(buffer: buffer, source: source), source: source)
            }
            if looksLikeLegacy(bytes) { return try readLegacy(buffer: buffer, source: source) }
            if bytes.count > 262, Array(bytes[257 ..< 262]) == Array("ustar".utf8) {
                throw ModelFileError("the tar checkpoint format (torch < 0.4) is not supported")
            }
            throw ModelFileError("not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)")
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
    }

    /// Reads the checkpoint at `path` already mapped in `buffer`; `zip` is its central directory when the caller
    /// has read it already (`ModelFileReader.open` does, to tell .npz from .pt).
    public static func read(path: String, buffer: ByteBuffer, zip: ZipArchiveReader?) throws -> TensorArchive {
        guard let zip else { return try read(buffer: buffer, source: path) }
        do {
            return try readZip(zip, source: path)
        } catch let error as ModelFileError {
            throw error.inFile(path)
        }
    }

    /// Reverses the bytes of every `width`-byte element of `storage` into owned memory (big-endian files).
    static func byteSwapped(_ storage: StorageReference, width: Int) -> StorageReference {
        var swapped = [UInt8](storage.bytes)
        if width > 1 {
            var start = 0
            while start + width <= swapped.count {
                swapped[start ..< start + width].reverse()
                start += width
            }
        }
        return StorageReference(buffer: ByteBuffer(copying: swapped), byteOffset: 0, byteCount: swapped.count,
                                key: storage.key)
    }
}
