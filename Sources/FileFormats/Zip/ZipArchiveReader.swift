/// A minimal, strict zip reader over a mapped file: it reads the central directory (ZIP64 included) and hands
/// out stored members as zero-copy slices of the mapping, so a multi-GB PyTorch checkpoint opens in place.
///
/// Deflated members are inflated into owned memory (see `ZipArchiveReader+Inflate.swift`), with the size checked
/// against a limit before and against what is actually produced. Every count, size, offset and name length the
/// archive claims is checked against the bytes present before it is used.
///
/// ```swift
/// let zip = try ZipArchiveReader(path: "model.pt")
/// let pickle = try zip.data(of: zip.entry(named: "archive/data.pkl")!)
/// let storage = try zip.storage(of: zip.entry(named: "archive/data/0")!, key: "0")
/// ```
public struct ZipArchiveReader: Sendable {
    /// The whole archive.
    public let buffer: ByteBuffer
    /// Members in central-directory order.
    public let entries: [ZipEntry]
    /// Where the archive came from, for messages.
    public let source: String
    private let indexByName: [String: Int]

    /// Largest member `data(of:)` inflates unless told otherwise (4 GiB).
    public static let defaultInflateLimit = 4 << 30

    /// Maps and reads the archive at `path`.
    public init(path: String) throws {
        try self.init(buffer: ByteBuffer.map(path: path), source: path)
    }

    /// Reads the central directory of the archive in `buffer`.
    public init(buffer: ByteBuffer, source: String = "") throws {
        self.buffer = buffer
        self.source = source
        do {
            self.entries = try ZipCentralDirectory.read(ByteReader(buffer.bytes, file: source))
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            if index.updateValue(position, forKey: entry.name) != nil {
                throw ModelFileError("zip member \"\(entry.name)\" appears twice", file: source)
            }
        }
        indexByName = index
    }

    /// Whether `buffer` starts like a zip archive (`PK\x03\x04`, or `PK\x05\x06` for an empty one).
    public static func looksLikeZip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B else { return false }
        return (bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6)
    }

    /// The member called `name`, if any.
    public func entry(named name: String) -> ZipEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// The member called `name`, or an error naming it.
    public func requireEntry(named name: String) throws -> ZipEntry {
        guard let entry = entry(named: name) else {
            throw ModelFileError("zip member \"\(name)\" is missing", file: source)
        }
        return entry
    }

    /// The bytes of a stored member, in place in the mapping (zero copy). Deflated members are refused here;
    /// use `data(of:)` or `storage(of:)`.
    public func storedBytes(of entry: ZipEntry) throws -> ByteBuffer {
        try requireReadable(entry)
        guard entry.method == .stored else {
            throw ModelFileError("zip member \"\(entry.name)\" is \(entry.method), not stored", file: source)
        }
        return try buffer.subBuffer(entry.dataRange)
    }

    /// The uncompressed bytes of a member: a zero-copy view for stored members, inflated memory for deflated
    /// ones (refused when the member claims more than `limit` bytes).
    public func data(of entry: ZipEntry, limit: Int = ZipArchiveReader.defaultInflateLimit) throws -> ByteBuffer {
        try requireReadable(entry)
        switch entry.method {
        case .stored:
            return try buffer.subBuffer(entry.dataRange)
        case .deflated:
            return try inflate(entry, limit: limit)
        case .other:
            throw ModelFileError("zip member \"\(entry.name)\" uses unsupported compression \(entry.method)", file: source)
        }
    }

    /// A storage reference for a member's bytes: in place in the archive's buffer when stored, or in inflated
    /// memory when deflated. `key` names the storage (defaults to the member name) so ties can be detected.
    public func storage(of entry: ZipEntry, key: String? = nil,
                        limit: Int = ZipArchiveReader.defaultInflateLimit) throws -> StorageReference {
        let key = key ?? entry.name
        if entry.method == .stored {
            try requireReadable(entry)
            return StorageReference(buffer: buffer, byteOffset: entry.dataOffset, byteCount: entry.compressedSize, key: key)
        }
        let bytes = try data(of: entry, limit: limit)
        return StorageReference(buffer: bytes, byteOffset: 0, byteCount: bytes.count, key: key)
    }

    private func requireReadable(_ entry: ZipEntry) throws {
        if entry.flags & 1 != 0 {
            throw ModelFileError("zip member \"\(entry.name)\" is encrypted", file: source)
        }
    }
}
