/// Reads a GGUF file (ggml's format for llama.cpp models): header, key-value metadata, tensor infos and the
/// data section, with ggml's validation rules (GG:src/gguf.cpp; formats.md §3).
///
/// Tensors are described, not read: each record points into the mapped data section. Plain types are recorded as
/// `.f32`, `.f16`, … and block-quantized ones as `.ggml(id)`; `GGUFDequantizer` decodes them. Shapes are given
/// in PyTorch order (GGUF stores them fastest axis first).
public enum GGUFReader {
    /// Longest string ggml accepts (1 GiB).
    public static let maxStringBytes = 1 << 30
    /// Longest tensor name, exclusive (ggml's GGML_MAX_NAME).
    public static let maxNameBytes = 64
    /// Most dimensions a tensor may have (GGML_MAX_DIMS).
    public static let maxDimensions = 4
    /// Array metadata longer than this is summarised.
    static let shownArrayItems = 8

    /// Whether `bytes` start with the GGUF magic.
    public static func looksLikeGGUF(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x47 && bytes[1] == 0x47 && bytes[2] == 0x55 && bytes[3] == 0x46
    }

    /// Reads the GGUF file in `buffer`; errors are attributed to `source`.
    public static func read(buffer: ByteBuffer, source: String) throws -> TensorArchive {
        do {
            return try parse(buffer: buffer, source: source)
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
    }

    static func parse(buffer: ByteBuffer, source: String) throws -> TensorArchive {
        var cursor = GGUFCursor(bytes: buffer.bytes)
        guard looksLikeGGUF(buffer.bytes) else { throw ModelFileError("not a GGUF file (bad magic)") }
        cursor.position = 4
        let version = try cursor.u32("version")
        guard version & 0xFFFF != 0 else {
            throw ModelFileError("GGUF version \(version) looks byte-swapped (big-endian file?)")
        }
        guard version == 2 || version == 3 else {
            throw ModelFileError("unsupported GGUF version \(version) (nnview reads versions 2 and 3)")
        }
        let tensorCount = try cursor.u64("tensor count")
        let pairCount = try cursor.u64("key-value count")
        // The smallest key-value pair takes 14 bytes and the smallest tensor info 24: check counts before looping.
        guard pairCount <= UInt64(cursor.remaining / 14) else {
            throw ModelFileError("GGUF claims \(pairCount) key-value pairs but the file has only \(cursor.remaining) bytes left")
        }
        guard tensorCount <= UInt64(cursor.remaining / 24) else {
            throw ModelFileError("GGUF claims \(tensorCount) tensors but the file has only \(cursor.remaining) bytes left")
        }

        var metadata: [(key: String, value: String)] = []
        var seenKeys: Set<String> = []
        var alignment = 32
        for _ in 0 ..< Int(pairCount) {
            let key = try cursor.string("key")
            guard !key.isEmpty else { throw ModelFileError("GGUF key at offset \(cursor.position) is empty") }
            guard seenKeys.insert(key).inserted else { throw ModelFileError("GGUF key \(key) appears twice") }
            let type = try cursor.u32("type of \(key)")
            if key == "general.alignment" {
                guard type == 4 else { throw ModelFileError("general.alignment must be a u32") }
                let value = Int(try cursor.u32(key))
                guard value > 0, value & (value - 1) == 0 else {
                    throw ModelFileError("general.alignment \(value) is not a power of two")
                }
                alignment = value
                metadata.append((key, String(value)))
                continue
            }
            metadata.append((key, try cursor.valueText(type: type, key: key)))
        }

        var tensors: [TensorRecord] = []
        var extents: [(offset: Int, byteCount: Int)] = []
        var seenNames: Set<String> = []
        for _ in 0 ..< Int(tensorCount) {
            let name = try cursor.string("tensor name")
            guard name.utf8.count < maxNameBytes else {
                throw ModelFileError("GGUF tensor name \(name.prefix(70)) is \(name.utf8.count) bytes (limit \(maxNameBytes - 1))")
            }
            guard seenNames.insert(name).inserted else { throw ModelFileError("GGUF tensor \(name) appears twice") }
            let dimensionCount = try cursor.u32("dimension count of \(name)")
            guard dimensionCount <= maxDimensions else {
                throw ModelFileError("GGUF tensor \(name) has \(dimensionCount) dimensions (limit \(maxDimensions))")
            }
            var dims: [Int] = []
            for _ in 0 ..< Int(dimensionCount) {
                let dim = try cursor.u64("dimension of \(name)")
                guard dim <= UInt64(Int64.max) else { throw ModelFileError("GGUF tensor \(name) has dimension \(dim)") }
                dims.append(Int(dim))
            }
            let typeID = Int(try cursor.u32("type of \(name)"))
            guard let layout = GGMLTypeLayout.of(typeID) else {
                throw ModelFileError("GGUF tensor \(name) has unknown ggml type \(typeID)")
            }
            let offset = try cursor.u64("offset of \(name)")
            guard offset % UInt64(alignment) == 0, offset <= UInt64(Int.max) else {
                throw ModelFileError("GGUF tensor \(name) offset \(offset) is not a multiple of the alignment \(alignment)")
            }
            let byteCount = try self.byteCount(dims: dims, layout: layout, typeID: typeID, name: name)
            tensors.append(TensorRecord(name: name, type: GGMLTypeLayout.elementType(typeID), shape: dims.reversed(),
                                        storage: StorageReference(buffer: buffer, byteOffset: 0, byteCount: 0, key: name)))
            extents.append((Int(offset), byteCount))
        }

        // The data section starts at the next multiple of the alignment.
        let (padded, overflow) = cursor.position.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw ModelFileError("GGUF header is too large") }
        let dataStart = padded / alignment * alignment
        guard dataStart <= buffer.count || tensors.isEmpty else {
            throw ModelFileError("GGUF data section starts at \(dataStart), past the end of the \(buffer.count)-byte file")
        }
        let dataSize = max(0, buffer.count - dataStart)
        var expectedOffset = 0
        for index in tensors.indices {
            let (offset, byteCount) = extents[index]
            // ggml requires tensors back to back in info order, each padded to the alignment: no gaps, no overlaps.
            guard offset == expectedOffset else {
                throw ModelFileError("GGUF tensor \(tensors[index].name) has data offset \(offset), expected \(expectedOffset) "
                    + "(tensors must follow each other, padded to \(alignment) bytes)")
            }
            guard offset <= dataSize, byteCount <= dataSize - offset else {
                throw ModelFileError("GGUF tensor \(tensors[index].name) (\(byteCount) bytes at data offset \(offset)) "
                    + "runs past the end of the \(dataSize)-byte data section")
            }
            tensors[index].storage = StorageReference(buffer: buffer, byteOffset: dataStart + offset,
                                                      byteCount: byteCount, key: tensors[index].name)
            expectedOffset = offset + (byteCount + alignment - 1) / alignment * alignment
        }
        return TensorArchive(tensors: tensors, metadata: metadata, source: source, format: "gguf")
    }

    /// `ne0/block · blockBytes · ne1 · ne2 · ne3`, with ggml's divisibility rule and overflow checks.
    static func byteCount(dims: [Int], layout: GGMLTypeLayout, typeID: Int, name: String) throws -> Int {
        let first = dims.first ?? 1
        guard first % layout.blockElements == 0 else {
            throw ModelFileError("GGUF tensor \(name): first dimension \(first) is not a multiple of the "
                + "\(GGMLTypeNames.name(of: typeID)) block size \(layout.blockElements)")
        }
        // A first dimension near Int.max times the block's byte size overflows too, not only the later products.
        let (firstBytes, firstOverflow) = (first / layout.blockElements).multipliedReportingOverflow(by: layout.blockBytes)
        guard !firstOverflow else { throw ModelFileError("GGUF tensor \(name): shape \(dims) overflows") }
        var total = firstBytes
        var elements = first
        for dim in dims.dropFirst() {
            let (bytes, bytesOverflow) = total.multipliedReportingOverflow(by: dim)
            let (count, countOverflow) = elements.multipliedReportingOverflow(by: dim)
            guard !bytesOverflow, !countOverflow else { throw ModelFileError("GGUF tensor \(name): shape \(dims) overflows") }
            total = bytes
            elements = count
        }
        return total
    }
}

/// A bounds-checked little-endian reader over a GGUF header.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        guard count <= remaining else {
            throw ModelFileError("GGUF file ends inside \(what) (offset \(position), needs \(count) bytes, \(remaining) left)")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count])
    }

    mutating func integer(_ width: Int, _ what: String) throws -> UInt64 {
        ByteReader.littleEndian(try take(width, what))
    }

    mutating func u32(_ what: String) throws -> UInt32 { UInt32(try integer(4, what)) }
    mutating func u64(_ what: String) throws -> UInt64 { try integer(8, what) }

    mutating func string(_ what: String) throws -> String {
        let length = try u64("length of \(what)")
        guard length <= UInt64(GGUFReader.maxStringBytes) else {
            throw ModelFileError("GGUF \(what) claims \(length) bytes (limit \(GGUFReader.maxStringBytes))")
        }
        guard length <= UInt64(remaining) else {
            throw ModelFileError("GGUF \(what) claims \(length) bytes but only \(remaining) are left")
        }
        let raw = try take(Int(length), what)
        guard let text = String(validating: raw, as: UTF8.self) else { throw ModelFileError("GGUF \(what) is not UTF-8") }
        return text
    }

    /// Bytes a scalar of GGUF type `type` takes, or nil for strings, arrays and unknown types.
    static func scalarWidth(_ type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: return 1
        case 2, 3: return 2
        case 4, 5, 6: return 4
        case 10, 11, 12: return 8
        default: return nil
        }
    }

    /// One value of GGUF type `type` as display text; arrays are summarised when long.
    mutating func valueText(type: UInt32, key: String) throws -> String {
        switch type {
        case 8: return try string("value of \(key)")
        case 9:
            let elementType = try u32("array type of \(key)")
            guard elementType != 9 else { throw ModelFileError("GGUF key \(key) holds a nested array (not supported, as in ggml)") }
            let count = try u64("array length of \(key)")
            let minimumWidth: Int
            if elementType == 8 {
                minimumWidth = 8
            } else if let width = Self.scalarWidth(elementType) {
                minimumWidth = width
            } else {
                throw ModelFileError("GGUF key \(key) has unknown array element type \(elementType)")
            }
            guard count <= UInt64(remaining / minimumWidth) else {
                throw ModelFileError("GGUF key \(key) claims \(count) array items but only \(remaining) bytes are left")
            }
            var shown: [String] = []
            for index in 0 ..< Int(count) {
                let text = try valueText(type: elementType, key: key)
                if index < GGUFReader.shownArrayItems { shown.append(elementType == 8 ? "\"\(text)\"" : text) }
            }
            let more = Int(count) > GGUFReader.shownArrayItems ? ", … \(count) items" : ""
            return "[" + shown.joined(separator: ", ") + more + "]"
        default:
            guard let width = Self.scalarWidth(type) else { throw ModelFileError("GGUF key \(key) has unknown type \(type)") }
            let raw = try integer(width, "value of \(key)")
            switch type {
            case 0: return String(UInt8(raw))
            case 1: return String(Int8(bitPattern: UInt8(raw)))
            case 2: return String(UInt16(raw))
            case 3: return String(Int16(bitPattern: UInt16(raw)))
            case 4: return String(UInt32(raw))
            case 5: return String(Int32(bitPattern: UInt32(raw)))
            case 6: return String(Float(bitPattern: UInt32(raw)))
            case 7: return raw != 0 ? "true" : "false"
            case 10: return String(raw)
            case 11: return String(Int64(bitPattern: raw))
            default: return String(Double(bitPattern: raw))
            }
        }
    }
}
