/// Whole metadata arrays of a GGUF file (`GGUFReader.read` keeps only a summary of long ones): the vocabulary a
/// tokenizer needs (`tokenizer.ggml.tokens`, `.merges`, `.token_type`, a SentencePiece vocabulary's `.scores`).
public struct GGUFMetadataArrays: Sendable {
    /// String arrays by key.
    public var strings: [String: [String]] = [:]
    /// Integer arrays by key.
    public var integers: [String: [Int]] = [:]
    /// Float32 arrays by key.
    public var floats: [String: [Float]] = [:]
}

extension GGUFReader {
    /// The arrays stored under `keys` in the GGUF file in `buffer`, read in full (each item bounded by the bytes
    /// the file has, as `read` checks them). Keys that are absent or not arrays are left out.
    public static func arrays(buffer: ByteBuffer, source: String, keys: Set<String>) throws -> GGUFMetadataArrays {
        do {
            var cursor = GGUFCursor(bytes: buffer.bytes)
            guard looksLikeGGUF(buffer.bytes) else { throw ModelFileError("not a GGUF file (bad magic)") }
            cursor.position = 4
            let version = try cursor.u32("version")
            guard version == 2 || version == 3 else { throw ModelFileError("unsupported GGUF version \(version)") }
            _ = try cursor.u64("tensor count")
            let pairCount = try cursor.u64("key-value count")
            guard pairCount <= UInt64(cursor.remaining / 14) else {
                throw ModelFileError("GGUF claims \(pairCount) key-value pairs but the file has only \(cursor.remaining) bytes left")
            }
            var result = GGUFMetadataArrays()
            for _ in 0 ..< Int(pairCount) {
                let key = try cursor.string("key")
                let type = try cursor.u32("type of \(key)")
                guard type == 9, keys.contains(key) else {
                    _ = try cursor.valueText(type: type, key: key)
                    continue
                }
                let elementType = try cursor.u32("array type of \(key)")
                let count = try cursor.u64("array length of \(key)")
                let width = elementType == 8 ? 8 : GGUFCursor.scalarWidth(elementType) ?? 0
                guard width > 0, elementType != 7, elementType != 12 else {
                    throw ModelFileError("GGUF key \(key) holds arrays of type \(elementType), not strings, integers or float32")
                }
                guard count <= UInt64(cursor.remaining / width) else {
                    throw ModelFileError("GGUF key \(key) claims \(count) array items but only \(cursor.remaining) bytes are left")
                }
                if elementType == 6 {
                    var items: [Float] = []
                    items.reserveCapacity(Int(count))
                    for _ in 0 ..< Int(count) { items.append(Float(bitPattern: try cursor.u32("item of \(key)"))) }
                    result.floats[key] = items
                } else if elementType == 8 {
                    var items: [String] = []
                    items.reserveCapacity(Int(count))
                    for _ in 0 ..< Int(count) { items.append(try cursor.string("item of \(key)")) }
                    result.strings[key] = items
                } else {
                    var items: [Int] = []
                    items.reserveCapacity(Int(count))
                    for _ in 0 ..< Int(count) {
                        // valueText gives the signed/unsigned reading of each width; the values here are small.
                        guard let value = Int(try cursor.valueText(type: elementType, key: key)) else {
                            throw ModelFileError("GGUF key \(key) holds a value that is not an integer")
                        }
                        items.append(value)
                    }
                    result.integers[key] = items
                }
            }
            return result
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
    }
}
