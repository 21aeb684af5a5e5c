/// Reads safetensors files: the header is parsed and validated, the data stays in the mapping until a tensor is
/// looked at, so a 16 GB checkpoint opens instantly.
///
/// Aliases that `safetensors.torch.save_model` records in `__metadata__` (`"4.weight": "2.weight"`) come back as a
/// second record sharing the first one's storage (same key), and in `TensorArchive.aliases`.
public enum SafeTensorsReader {
    /// The reference reader's header size limit (`MAX_HEADER_SIZE`).
    public static let maximumHeaderSize = SafeTensorsHeader.maximumHeaderSize

    /// Maps and reads the safetensors file at `path`.
    public static func read(path: String) throws -> TensorArchive {
        let buffer = try ByteBuffer.map(path: path)
        return try read(buffer: buffer, source: path)
    }

    /// Reads a safetensors file already in `buffer`.
    public static func read(buffer: ByteBuffer, source: String = "") throws(SafeTensorsError) -> TensorArchive {
        let header: SafeTensorsHeader
        do {
            header = try SafeTensorsHeader.read(buffer.bytes)
        } catch {
            throw error.inFile(source)
        }
        let dataStart = 8 + header.headerLength
        var records = header.entries.map { entry in
            TensorRecord(name: entry.name, type: entry.type, shape: entry.shape,
                         storage: StorageReference(buffer: buffer, byteOffset: dataStart + entry.begin,
                                                   byteCount: entry.end - entry.begin, key: entry.name))
        }
        let aliases = aliasMap(metadata: header.metadata, records: records)
        for (alias, target) in aliases {
            guard let original = records.first(where: { $0.name == target }) else { continue }
            var copy = original
            copy.name = alias
            records.append(copy)
        }
        var archive = TensorArchive(tensors: records, metadata: header.metadata, source: source, format: "safetensors")
        archive.aliases = Dictionary(uniqueKeysWithValues: aliases)
        return archive
    }

    /// `save_model`'s aliases: metadata entries whose key is not a tensor in the file and whose value is one.
    /// Kept in metadata order.
    static func aliasMap(metadata: [(key: String, value: String)], records: [TensorRecord]) -> [(String, String)] {
        let names = Set(records.map(\.name))
        return metadata.filter { !names.contains($0.key) && names.contains($0.value) }.map { ($0.key, $0.value) }
    }

    /// Whether `bytes` plausibly start a safetensors file: a header length that fits, followed by `{`.
    public static func looksLikeSafeTensors(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 9 else { return false }
        let length = (try? ByteReader(bytes).u64(0, "header length")) ?? 0
        return length >= 2 && length <= UInt64(maximumHeaderSize) && length <= UInt64(bytes.count - 8) && bytes[8] == UInt8(ascii: "{")
    }
}
