/// One member of a zip archive, as its central directory describes it (ZIP64 fields already applied),
/// with the position of its data found from its local header.
public struct ZipEntry: Sendable, Hashable {
    /// How the member's bytes are stored.
    public enum Method: Sendable, Hashable, CustomStringConvertible {
        /// Method 0: the bytes as they are (PyTorch checkpoints, `np.savez`).
        case stored
        /// Method 8: raw DEFLATE (`np.savez_compressed`).
        case deflated
        /// Any other method number; refused when read.
        case other(UInt16)

        init(code: UInt16) {
            switch code {
            case 0: self = .stored
            case 8: self = .deflated
            default: self = .other(code)
            }
        }

        public var description: String {
            switch self {
            case .stored: return "stored"
            case .deflated: return "deflated"
            case .other(let code): return "method \(code)"
            }
        }
    }

    /// Path inside the archive (`"archive/data/0"`, `"weight.npy"`).
    public let name: String
    /// Compression method.
    public let method: Method
    /// General-purpose flags (bit 0: encrypted, bit 3: sizes in a data descriptor).
    public let flags: UInt16
    /// CRC-32 of the uncompressed bytes.
    public let crc32: UInt32
    /// Bytes the member occupies in the archive.
    public let compressedSize: Int
    /// Bytes after decompression.
    public let uncompressedSize: Int
    /// Byte offset of the member's local header in the archive.
    public let localHeaderOffset: Int
    /// Byte offset of the member's first data byte (after the local header, its name and extra field).
    public let dataOffset: Int

    /// Whether the member is a directory (name ends in `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }
    /// The archive byte range holding the member's (possibly compressed) data.
    public var dataRange: Range<Int> { dataOffset ..< dataOffset + compressedSize }
}
