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
        try require(offset, 2, what())
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        try require(offset, 4, what())
        var value: UInt32 = 0
        for index in 0 ..< 4 { value |= UInt32(bytes[offset + index]) << (8 * index) }
        return value
    }

    func u64(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        try require(offset, 8, what())
        var value: UInt64 = 0
        for index in 0 ..< 8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
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
