/// The parsed and validated JSON header of a safetensors file (formats.md §1), before any tensor byte is read.
struct SafeTensorsHeader {
    /// One tensor entry: byte offsets are relative to the data buffer, end-exclusive.
    struct Entry {
        var name: String
        var type: ElementType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// Entries sorted by offset (which is also the order the reference writer lists them in).
    var entries: [Entry]
    /// `__metadata__` in file order.
    var metadata: [(key: String, value: String)]
    /// N: the JSON header length, padding included.
    var headerLength: Int

    /// The reference reader's `MAX_HEADER_SIZE`.
    static let maximumHeaderSize = 100_000_000

    /// Runs every check of the reference `read_metadata`, in its order, on the start of `file`.
    static func read(_ file: UnsafeRawBufferPointer) throws(SafeTensorsError) -> SafeTensorsHeader {
        guard file.count >= 8 else {
            throw SafeTensorsError(.headerTooSmall, "file has \(file.count) bytes, fewer than the 8-byte header length")
        }
        let reader = ByteReader(file)
        let claimed = (try? reader.u64(0, "header length")) ?? 0
        guard claimed <= UInt64(maximumHeaderSize) else {
            throw SafeTensorsError(.headerTooLarge, "header length \(claimed) is more than the \(maximumHeaderSize)-byte limit")
        }
        let headerLength = Int(claimed)
        guard headerLength <= file.count - 8 else {
            throw SafeTensorsError(.invalidHeaderLength, "header claims \(headerLength) bytes but only \(file.count - 8) follow the length")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8 ..< 8 + headerLength])
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw SafeTensorsError(.invalidHeader, "header is not valid UTF-8")
        }
        var header = try deserialize(headerBytes)
        header.headerLength = headerLength
        try validate(&header.entries)
        let end = header.entries.last?.end ?? 0
        // `end` and `headerLength` are both bounded by checks above, so this cannot overflow.
        guard end <= file.count - 8 - headerLength, end + 8 + headerLength == file.count else {
            throw SafeTensorsError(.metadataIncompleteBuffer,
                                   "tensors cover \(end) data bytes but the file holds \(file.count - 8 - headerLength) after the header")
        }
        return header
    }

    /// Step 5: JSON into entries and metadata; every shape problem is `InvalidHeaderDeserialization`.
    static func deserialize(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) -> SafeTensorsHeader {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            if let name = error.duplicateKey {
                throw SafeTensorsError(.duplicateName, "tensor name \"\(name)\" appears twice in the header")
            }
            throw SafeTensorsError(.invalidHeaderDeserialization, "header is not valid JSON: \(error)")
        }
        guard case .object(let members) = json else {
            throw SafeTensorsError(.invalidHeaderDeserialization, "header is \(json.kind), not a JSON object")
        }
        var header = SafeTensorsHeader(entries: [], metadata: [], headerLength: 0)
        for (name, value) in members {
            if name == "__metadata__" {
                header.metadata = try metadata(value)
            } else {
                header.entries.append(try entry(name, value))
            }
        }
        return header
    }

    static func metadata(_ value: JSONValue) throws(SafeTensorsError) -> [(key: String, value: String)] {
        switch value {
        case .null:
            return []
        case .object(let pairs):
            if pairs.contains(where: { $0.key == "dtype" || $0.key == "data_offsets" }),
               pairs.contains(where: { if case .string = $0.value { return false } else { return true } }) {
                throw SafeTensorsError(.reservedName, "a tensor is named __metadata__, which is reserved for the metadata map")
            }
            var result: [(key: String, value: String)] = []
            for (key, item) in pairs {
                guard case .string(let text) = item else {
                    throw SafeTensorsError(.invalidHeaderDeserialization, "__metadata__ value for \"\(key)\" is \(item.kind), not a string")
                }
                result.append((key, text))
            }
            return result
        default:
            throw SafeTensorsError(.invalidHeaderDeserialization, "__metadata__ is \(value.kind), not an object of strings")
        }
    }

    static func entry(_ name: String, _ value: JSONValue) throws(SafeTensorsError) -> Entry {
        func problem(_ text: String) -> SafeTensorsError {
            SafeTensorsError(.invalidHeaderDeserialization, "tensor \"\(name)\": \(text)")
        }
        guard case .object(let fields) = value else { throw problem("expected an object, found \(value.kind)") }
        func field(_ key: String) throws(SafeTensorsError) -> JSONValue {
            guard let found = fields.first(where: { $0.key == key }) else { throw problem("missing field \"\(key)\"") }
            return found.value
        }
        func integers(_ key: String) throws(SafeTensorsError) -> [Int] {
            guard case .array(let items) = try field(key) else { throw problem("\"\(key)\" is not an array") }
            var result: [Int] = []
            for item in items {
                switch item.nonNegativeInteger() {
                case .success(let number): result.append(number)
                case .failure(let reason): throw problem("\"\(key)\": \(reason)")
                }
            }
            return result
        }
        guard case .string(let dtype) = try field("dtype") else { throw problem("\"dtype\" is not a string") }
        guard let type = ElementType(safetensorsName: dtype) else { throw problem("unknown dtype \"\(dtype)\"") }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2 else { throw problem("\"data_offsets\" has \(offsets.count) numbers, expected 2") }
        return Entry(name: name, type: type, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// Step 6: sorted by offset, each tensor starts where the previous ended and its size matches shape × dtype.
    static func validate(_ entries: inout [Entry]) throws(SafeTensorsError) {
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var start = 0
        for entry in entries {
            guard entry.begin == start, entry.end >= entry.begin else {
                throw SafeTensorsError(.invalidOffset(entry.name),
                                       "tensor \"\(entry.name)\" has data_offsets [\(entry.begin), \(entry.end)] but must start at \(start)")
            }
            var bits = entry.type.bitsPerElement ?? 0
            for dimension in entry.shape {
                let (product, overflow) = bits.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw SafeTensorsError(.validationOverflow, "tensor \"\(entry.name)\": shape \(entry.shape) × \(entry.type) overflows")
                }
                bits = product
            }
            guard bits % 8 == 0 else {
                throw SafeTensorsError(.misalignedSlice, "tensor \"\(entry.name)\": \(bits) bits of \(entry.type) is not a whole number of bytes")
            }
            guard entry.end - entry.begin == bits / 8 else {
                throw SafeTensorsError(.tensorInvalidInfo,
                                       "tensor \"\(entry.name)\": shape \(entry.shape) of \(entry.type) needs \(bits / 8) bytes but data_offsets span \(entry.end - entry.begin)")
            }
            start = entry.end
        }
    }
}
