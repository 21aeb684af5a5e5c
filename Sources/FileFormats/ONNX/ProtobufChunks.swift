/// Protobuf wire-format output kept as a list of pieces: ranges copied from an original mapped file and small
/// newly encoded bytes. A rewritten message's length is known without copying its large untouched fields, so a
/// rewrite of a 500 MB model only encodes what changed.
struct ProtobufChunks {
    /// One piece of the output.
    enum Piece {
        /// Bytes of the original file.
        case original(Range<Int>)
        /// Newly encoded (or caller-provided) bytes.
        case owned([UInt8])
    }

    private(set) var pieces: [Piece] = []
    /// Bytes encoded since the last piece was closed (merged so that keys and lengths don't become pieces).
    private var pending: [UInt8] = []
    /// Total bytes, pending included.
    private(set) var count = 0

    /// Appends a range of the original file.
    mutating func append(original range: Range<Int>) {
        guard !range.isEmpty else { return }
        flush()
        pieces.append(.original(range))
        count += range.count
    }

    /// Appends bytes (a large array becomes its own piece, without a copy).
    mutating func append(_ bytes: [UInt8]) {
        if bytes.count >= 4096 {
            flush()
            pieces.append(.owned(bytes))
        } else {
            pending += bytes
        }
        count += bytes.count
    }

    /// Appends another output.
    mutating func append(_ other: ProtobufChunks) {
        var other = other
        other.flush()
        flush()
        pieces += other.pieces
        count += other.count
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            pending.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
            count += 1
        }
        pending.append(UInt8(rest))
        count += 1
    }

    /// A field key: number and wire type.
    mutating func key(_ number: Int, _ wire: ProtobufReader.WireType) {
        varint(UInt64(number) << 3 | UInt64(wire.rawValue))
    }

    /// A length-delimited field holding `body`.
    mutating func field(_ number: Int, _ body: ProtobufChunks) {
        key(number, .lengthDelimited)
        varint(UInt64(body.count))
        append(body)
    }

    /// A length-delimited field holding `bytes`.
    mutating func field(_ number: Int, bytes: [UInt8]) {
        key(number, .lengthDelimited)
        varint(UInt64(bytes.count))
        append(bytes)
    }

    mutating func field(_ number: Int, string: String) { field(number, bytes: Array(string.utf8)) }

    /// A varint field holding a signed integer.
    mutating func field(_ number: Int, int value: Int) {
        key(number, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// Closes the pending bytes into a piece.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        pieces.append(.owned(pending))
        pending = []
    }

    /// Calls `write` with every piece in order; `original` is the file the `.original` ranges refer to.
    func write(original: UnsafeRawBufferPointer, _ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var copy = self
        copy.flush()
        for piece in copy.pieces {
            switch piece {
            case .original(let range): try write(UnsafeRawBufferPointer(rebasing: original[range]))
            case .owned(let bytes): try bytes.withUnsafeBytes { try write($0) }
            }
        }
    }
}
