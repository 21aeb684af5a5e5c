/// Bounds-checked little-endian reads from raw bytes: every read says which field it was when it falls outside.
///
/// All arithmetic on offsets claimed by a file goes through here or `CheckedArithmetic`, so a lying size throws
/// instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Whose bytes these are, for messages.
    let file: String

    init(_ bytes: UnsafeRawBufferPointer, file: String = "") {
        self.bytes = bytes
        self.file = file
    }

    var count: Int { bytes.count }

    /// Throws unless `offset ..< offset+length` lies inside the bytes.
    func require(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            throw ModelFileError("\(what()) at byte \(offset) (\(length) bytes) is past the end of the \(count) bytes present",
                                 file: file)
        }
    }

    func u8(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt8 {
        try require(offset, 1, what())
        return bytes[offset]
    }

    func u16(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt16 {
        UInt16(Self.littleEndian(try slice(offset, 2, what())))
    }

    func u32(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(Self.littleEndian(try slice(offset, 4, what())))
    }

    func u64(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        Self.littleEndian(try slice(offset, 8, what()))
    }

    /// The unsigned integer stored least significant byte first in `raw` (at most 8 bytes): the one place the
    /// readers assemble a little-endian integer from a file's bytes (zip, safetensors, NumPy, GGUF, protobuf's
    /// fixed fields, pickle), whatever the alignment.
    static func littleEndian(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        precondition(raw.count <= 8, "a little-endian integer of \(raw.count) bytes does not fit in 64 bits")
        var value: UInt64 = 0
        for index in stride(from: raw.count - 1, through: 0, by: -1) { value = value << 8 | UInt64(raw[index]) }
        return value
    }

    /// Bytes `offset ..< offset+length`, checked.
    func slice(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try require(offset, length, what())
        return UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length])
    }
}

/// Overflow-checked arithmetic for sizes and offsets that come from files.
package enum CheckedArithmetic {
    /// `a + b`, or an error naming `what` if it overflows.
    package static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String, file: String = "") throws -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw ModelFileError("\(what()) overflows", file: file) }
        return sum
    }

    /// `a * b`, or an error naming `what` if it overflows.
    package static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> String, file: String = "") throws -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw ModelFileError("\(what()) overflows", file: file) }
        return product
    }

    /// A 64-bit unsigned value from a file as an `Int`, or an error if it does not fit.
    package static func int(_ value: UInt64, _ what: @autoclosure () -> String, file: String = "") throws -> Int {
        guard value <= UInt64(Int.max) else { throw ModelFileError("\(what()) \(value) is too large", file: file) }
        return Int(value)
    }
}
