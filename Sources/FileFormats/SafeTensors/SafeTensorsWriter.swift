/// Writes safetensors files exactly as the reference writer does (formats.md §1): tensors sorted by dtype
/// descending then name, compact JSON with `__metadata__` first, the header padded with spaces to a multiple of 8,
/// and the file written atomically.
///
/// With `storeTiedOnce`, tensors that share a `tie` key are written once under the lexicographically smallest name
/// and the other names are recorded in `__metadata__` as aliases (`"4.weight": "2.weight"`), as `save_model` does.
public enum SafeTensorsWriter {
    /// One tensor to write.
    public struct Tensor: Sendable {
        /// Name in the file.
        public var name: String
        /// Element type.
        public var type: ElementType
        /// Shape, outermost first.
        public var shape: [Int]
        /// Row-major little-endian bytes (`shape × type` bytes).
        public var bytes: ByteBuffer
        /// Tensors with the same non-nil key are one tensor under several names (tied weights).
        public var tie: String?

        /// A tensor from raw row-major bytes.
        public init(name: String, type: ElementType, shape: [Int], bytes: [UInt8], tie: String? = nil) {
            self.init(name: name, type: type, shape: shape, buffer: ByteBuffer(copying: bytes), tie: tie)
        }

        /// A tensor whose row-major bytes are all of `buffer`.
        public init(name: String, type: ElementType, shape: [Int], buffer: ByteBuffer, tie: String? = nil) {
            self.name = name
            self.type = type
            self.shape = shape
            self.bytes = buffer
            self.tie = tie
        }

        /// A tensor from a record of any format: contiguous records are written from their bytes in place, others
        /// are gathered into row-major order. Records that are the same view of the same storage get the same `tie`.
        public init(record: TensorRecord) throws {
            let bytes = try record.rowMajorBytes()
            self.init(name: record.name, type: record.type, shape: record.shape, buffer: bytes,
                      tie: record.tieKey)
        }
    }

    /// Writes `tensors` and `metadata` to `path` atomically (temp file, fsync, rename, fsync of the folder).
    /// Refuses to replace an existing file unless `overwrite` is true.
    public static func write(tensors: [Tensor], metadata: [(key: String, value: String)] = [], to path: String,
                             overwrite: Bool = true, storeTiedOnce: Bool = false) throws {
        let (header, ordered) = try prepare(tensors: tensors, metadata: metadata, storeTiedOnce: storeTiedOnce)
        do {
            try AtomicFileWriter.write(to: path, overwrite: overwrite) { write in
                try header.withUnsafeBytes { try write($0) }
                for tensor in ordered where tensor.bytes.count > 0 { try write(tensor.bytes.bytes) }
            }
        } catch let error as ModelFileError {
            throw SafeTensorsError(.invalidWrite, error.message, file: path)
        }
    }

    /// Convenience: `(name, type, shape, bytes)` tuples.
    public static func write(tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])],
                             metadata: [(key: String, value: String)] = [], to path: String,
                             overwrite: Bool = true) throws {
        try write(tensors: tensors.map { Tensor(name: $0.name, type: $0.type, shape: $0.shape, bytes: $0.bytes) },
                  metadata: metadata, to: path, overwrite: overwrite)
    }

    /// The complete file header (length + padded JSON) and the tensors in data order.
    static func prepare(tensors: [Tensor], metadata: [(key: String, value: String)],
                        storeTiedOnce: Bool) throws(SafeTensorsError) -> (header: [UInt8], ordered: [Tensor]) {
        var metadata = metadata
        var kept = tensors
        if storeTiedOnce { (kept, metadata) = try removeDuplicateNames(tensors, metadata: metadata) }
        var seen = Set<String>()
        for tensor in kept {
            if tensor.name == "__metadata__" {
                throw SafeTensorsError(.reservedName, "a tensor cannot be named __metadata__ (reserved for the metadata map)")
            }
            guard seen.insert(tensor.name).inserted else {
                throw SafeTensorsError(.duplicateName, "tensor name \"\(tensor.name)\" given twice")
            }
            try checkSize(tensor)
        }
        // JSON is never shorter than the names it holds: refuse hopeless headers before building them.
        let nameBytes = kept.reduce(0) { $0 + $1.name.utf8.count } + metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard nameBytes <= SafeTensorsHeader.maximumHeaderSize else {
            throw SafeTensorsError(.headerTooLarge, "names and metadata alone take \(nameBytes) bytes, more than the \(SafeTensorsHeader.maximumHeaderSize)-byte header limit")
        }
        var metadataKeys = Set<String>()
        for (key, _) in metadata where !metadataKeys.insert(key).inserted {
            throw SafeTensorsError(.invalidWrite, "metadata key \"\(key)\" given twice")
        }
        let rank = Dictionary(uniqueKeysWithValues: ElementType.safetensorsNames.enumerated().map { ($1.1, $0) })
        let ordered = kept.sorted { a, b in
            let (rankA, rankB) = (rank[a.type] ?? -1, rank[b.type] ?? -1)
            return rankA != rankB ? rankA > rankB : a.name < b.name
        }
        var json = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            members.append("\"__metadata__\":{" + metadata.map { JSONWriter.quoted($0.key) + ":" + JSONWriter.quoted($0.value) }
                .joined(separator: ",") + "}")
        }
        var offset = 0
        for tensor in ordered {
            let end = offset + tensor.bytes.count
            members.append(JSONWriter.quoted(tensor.name) + ":{\"dtype\":\"\(tensor.type.name)\",\"shape\":["
                + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += members.joined(separator: ",") + "}"
        var headerBytes = Array(json.utf8)
        let padding = (8 - headerBytes.count % 8) % 8
        headerBytes += Array(repeating: 0x20, count: padding)
        guard headerBytes.count <= SafeTensorsHeader.maximumHeaderSize else {
            throw SafeTensorsError(.headerTooLarge, "header would be \(headerBytes.count) bytes, more than the \(SafeTensorsHeader.maximumHeaderSize)-byte limit")
        }
        var file: [UInt8] = []
        file.reserveCapacity(8 + headerBytes.count)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file += headerBytes
        return (file, ordered)
    }

    /// The byte count must be what shape × dtype needs, and the type must be a safetensors one.
    static func checkSize(_ tensor: Tensor) throws(SafeTensorsError) {
        guard let bitsPerElement = tensor.type.bitsPerElement else {
            throw SafeTensorsError(.invalidWrite, "tensor \"\(tensor.name)\": \(tensor.type) cannot be stored in safetensors")
        }
        var bits = bitsPerElement
        for dimension in tensor.shape {
            let (product, overflow) = bits.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else {
                throw SafeTensorsError(.validationOverflow, "tensor \"\(tensor.name)\": shape \(tensor.shape) is invalid or overflows")
            }
            bits = product
        }
        guard bits % 8 == 0 else {
            throw SafeTensorsError(.misalignedSlice, "tensor \"\(tensor.name)\": \(bits) bits is not a whole number of bytes")
        }
        guard bits / 8 == tensor.bytes.count else {
            throw SafeTensorsError(.tensorInvalidInfo, "tensor \"\(tensor.name)\": shape \(tensor.shape) of \(tensor.type) needs \(bits / 8) bytes but \(tensor.bytes.count) were given")
        }
    }

    /// `save_model`'s `_remove_duplicate_names`: one name per tie group (the smallest), the others become
    /// metadata aliases unless the caller's metadata already uses that key.
    static func removeDuplicateNames(_ tensors: [Tensor], metadata: [(key: String, value: String)])
        throws(SafeTensorsError) -> ([Tensor], [(key: String, value: String)]) {
        var groups: [String: [Tensor]] = [:]
        for tensor in tensors { if let tie = tensor.tie { groups[tie, default: []].append(tensor) } }
        var dropped = Set<String>()
        var metadata = metadata
        var metadataKeys = Set(metadata.map(\.key))
        for tensor in tensors {
            guard let tie = tensor.tie, let group = groups[tie], group.count > 1 else { continue }
            let keep = group.map(\.name).min()!
            guard tensor.name != keep else { continue }
            if let other = group.first(where: { $0.name == keep }), other.type != tensor.type || other.shape != tensor.shape {
                throw SafeTensorsError(.invalidWrite, "tied tensors \"\(keep)\" and \"\(tensor.name)\" differ in type or shape")
            }
            dropped.insert(tensor.name)
            if metadataKeys.insert(tensor.name).inserted { metadata.append((tensor.name, keep)) }
        }
        return (tensors.filter { !dropped.contains($0.name) }, metadata)
    }
}
