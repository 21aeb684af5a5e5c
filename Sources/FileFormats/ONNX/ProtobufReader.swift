/// A cursor over protobuf wire-format bytes (https://protobuf.dev/programming-guides/encoding/) inside a mapped
/// file: varints, 64-bit and 32-bit fixed values, length-delimited fields. Every read is checked against the end of
/// the message being read, so a lying length throws instead of reading past it.
///
/// Offsets are absolute within the whole file, so a length-delimited field (an initializer's `raw_data`) comes
/// back as a range that a `TensorRecord` can point into without copying.
struct ProtobufReader {
    /// The protobuf wire types; groups (3 and 4) are deprecated and unused by ONNX, so they are refused.
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// Next byte to read.
    private(set) var position: Int
    /// End of the message being read (exclusive).
    let end: Int

    /// A reader of the message occupying `range` of `bytes` (the caller has checked the range).
    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField(in message: @autoclosure () -> String) throws -> (number: Int, wire: WireType)? {
        guard position < end else { return nil }
        let start = position
        let key = try varint("field key in \(message())")
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw ModelFileError("invalid protobuf field number \(number) at byte \(start) in \(message())")
        }
        guard let wire = WireType(rawValue: UInt8(key & 7)) else {
            throw ModelFileError("unsupported protobuf wire type \(key & 7) at byte \(start) in \(message())")
        }
        return (Int(number), wire)
    }

    /// A base-128 varint (at most 10 bytes).
    mutating func varint(_ what: @autoclosure () -> String) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw ModelFileError("\(what()): varint runs past the end of its message at byte \(position)")
            }
            let byte = bytes[position]
            position += 1
            guard shift < 64, shift < 63 || byte <= 1 else {
                throw ModelFileError("\(what()): varint at byte \(position - 1) is longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A varint field holding a signed integer (two's complement; protobuf sign-extends negative `int32` and enum
    /// values to 64 bits, so this reads those too).
    mutating func int64(_ what: @autoclosure () -> String) throws -> Int64 {
        Int64(bitPattern: try varint(what()))
    }

    /// Four little-endian bytes.
    mutating func fixed32(_ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(try fixed(4, what()))
    }

    /// Eight little-endian bytes.
    mutating func fixed64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try fixed(8, what())
    }

    /// `width` little-endian bytes, checked against the end of the message.
    private mutating func fixed(_ width: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        guard end - position >= width else {
            throw ModelFileError("\(what()): \(width)-byte value runs past the end of its message")
        }
        defer { position += width }
        return ByteReader.littleEndian(UnsafeRawBufferPointer(rebasing: bytes[position ..< position + width]))
    }

    /// The absolute byte range of a length-delimited field, checked against the bytes left in the message.
    mutating func lengthDelimited(_ what: @autoclosure () -> String) throws -> Range<Int> {
        let length = try varint(what())
        guard length <= UInt64(end - position) else {
            throw ModelFileError("\(what()) claims \(length) bytes but only \(end - position) remain in its message")
        }
        let range = position ..< position + Int(length)
        position = range.upperBound
        return range
    }

    /// A length-delimited field as UTF-8 text (invalid sequences are replaced, never trusted).
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let range = try lengthDelimited(what())
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Skips the value of a field of wire type `wire` (an unknown or unused field).
    mutating func skip(_ wire: WireType, _ what: @autoclosure () -> String) throws {
        switch wire {
        case .varint: _ = try varint(what())
        case .fixed64: _ = try fixed64(what())
        case .fixed32: _ = try fixed32(what())
        case .lengthDelimited: _ = try lengthDelimited(what())
        }
    }

    /// A reader over a length-delimited field's contents (a nested message or a packed array).
    mutating func nested(_ what: @autoclosure () -> String) throws -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: try lengthDelimited(what()))
    }

    /// Calls `body` with each value of a repeated scalar field, whether it came packed (`wire` is length-delimited)
    /// or as one element (`wire` is the element's own type). `element` is the wire type of one element.
    mutating func forEachScalar(wire: WireType, element: WireType, _ what: @autoclosure () -> String,
                                _ body: (UInt64) throws -> Void) throws {
        if wire == .lengthDelimited && element != .lengthDelimited {
            var packed = try nested(what())
            while !packed.isAtEnd { try body(try packed.scalar(element, what())) }
        } else {
            guard wire == element else {
                throw ModelFileError("\(what()): wire type \(wire.rawValue) where \(element.rawValue) was expected")
            }
            try body(try scalar(element, what()))
        }
    }

    /// One scalar of wire type `element`, widened to 64 bits.
    private mutating func scalar(_ element: WireType, _ what: @autoclosure () -> String) throws -> UInt64 {
        switch element {
        case .varint: return try varint(what())
        case .fixed32: return UInt64(try fixed32(what()))
        case .fixed64: return try fixed64(what())
        case .lengthDelimited: throw ModelFileError("\(what()): not a scalar field")
        }
    }

    /// Throws unless the field has wire type `expected`.
    static func expect(_ wire: WireType, _ expected: WireType, _ what: @autoclosure () -> String) throws {
        guard wire == expected else {
            throw ModelFileError("\(what()) has protobuf wire type \(wire.rawValue), expected \(expected.rawValue)")
        }
    }
}
