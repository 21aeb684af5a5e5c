/// Writes a GGUF file (GG:src/gguf.cpp; formats.md §3): the metadata of an existing GGUF file copied byte for
/// byte (its version and `general.alignment` included), then every tensor in its own ggml type, back to back and
/// each padded to the alignment, written atomically.
public enum GGUFWriter {
    /// The metadata section of the GGUF file in `buffer`: its version, key-value count, the raw key-value bytes
    /// and the alignment they set.
    struct Header {
        var version: UInt32
        var pairCount: UInt64
        var pairs: UnsafeRawBufferPointer
        var alignment: Int
    }

    static func header(of buffer: ByteBuffer) throws -> Header {
        // Parsing first checks every count and offset of the file as the reader does.
        _ = try GGUFReader.parse(buffer: buffer, source: "")
        var cursor = GGUFCursor(bytes: buffer.bytes)
        cursor.position = 4
        let version = try cursor.u32("version")
        _ = try cursor.u64("tensor count")
        let pairCount = try cursor.u64("key-value count")
        let start = cursor.position
        var alignment = 32
        for _ in 0 ..< Int(pairCount) {
            let key = try cursor.string("key")
            let type = try cursor.u32("type of \(key)")
            let text = try cursor.valueText(type: type, key: key)
            if key == "general.alignment", let value = Int(text) { alignment = value }
        }
        return Header(version: version, pairCount: pairCount,
                      pairs: UnsafeRawBufferPointer(rebasing: buffer.bytes[start ..< cursor.position]), alignment: alignment)
    }

    /// The ggml type id a tensor of `type` is stored with, or nil for a type GGUF has no id for.
    public static func typeID(of type: ElementType) -> Int? {
        switch type {
        case .f32: return 0
        case .f16: return 1
        case .bf16: return 30
        case .i8: return 24
        case .i16: return 25
        case .i32: return 26
        case .i64: return 27
        case .f64: return 28
        case .ggml(let id): return GGMLTypeLayout.of(id) == nil ? nil : id
        default: return nil
        }
    }

    /// Writes `tensors` (each in its own type, its storage holding exactly its bytes from `elementOffset` 0, as
    /// GGUF records and edited ggml blocks do) to `path` with the metadata of the GGUF file in `metadataFrom`.
    public static func write(tensors: [TensorRecord], metadataFrom original: ByteBuffer, to path: String,
                             overwrite: Bool = true) throws {
        let header = try self.header(of: original)
        let alignment = header.alignment
        func padding(_ count: Int) -> Int { (alignment - count % alignment) % alignment }
        var infos = ByteWriter()
        infos.append(Array("GGUF".utf8))
        infos.u32(header.version)
        infos.u64(UInt64(tensors.count))
        infos.u64(header.pairCount)
        infos.append(Array(header.pairs))
        var dataOffset = 0
        for record in tensors {
            guard let id = typeID(of: record.type), let layout = GGMLTypeLayout.of(id) else {
                throw ModelFileError("tensor \(record.name): GGUF has no type for \(record.type.name)", file: path)
            }
            let dims = record.shape.reversed().map { $0 }
            let byteCount = try GGUFReader.byteCount(dims: dims.isEmpty ? [1] : dims, layout: layout, typeID: id,
                                                     name: record.name)
            guard record.elementOffset == 0, record.storage.byteCount == byteCount else {
                throw ModelFileError("tensor \(record.name): its storage holds \(record.storage.byteCount) bytes, "
                    + "\(GGMLTypeNames.name(of: id)) \(record.shape) needs \(byteCount)", file: path)
            }
            let name = Array(record.name.utf8)
            infos.u64(UInt64(name.count))
            infos.append(name)
            infos.u32(UInt32(dims.count))
            for dim in dims { infos.u64(UInt64(dim)) }
            infos.u32(UInt32(id))
            infos.u64(UInt64(dataOffset))
            dataOffset += byteCount + padding(byteCount)
        }
        infos.append([UInt8](repeating: 0, count: padding(infos.bytes.count)))
        let zeros = [UInt8](repeating: 0, count: alignment)
        try AtomicFileWriter.write(to: path, overwrite: overwrite) { write in
            try infos.bytes.withUnsafeBytes { try write($0) }
            for record in tensors {
                let bytes = record.storage.bytes
                if bytes.count > 0 { try write(bytes) }
                let pad = padding(bytes.count)
                if pad > 0 { try zeros.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0 ..< pad])) } }
            }
        }
    }
}

/// Little-endian bytes of a GGUF header.
private struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
}
