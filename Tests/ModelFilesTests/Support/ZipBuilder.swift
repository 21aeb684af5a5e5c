@testable import FileFormats
@testable import ModelFiles

/// Builds small stored zip archives byte by byte, optionally in ZIP64 form, and remembers where each structure
/// went so tests can corrupt exactly one field.
struct ZipBuilder {
    struct Member {
        var name: String
        var bytes: [UInt8]
    }

    var members: [Member] = []
    var zip64 = false

    /// Offsets of interesting structures in the last `build()`.
    struct Layout {
        var localHeaders: [Int] = []
        var centralHeaders: [Int] = []
        var centralDirectory = 0
        var endRecord = 0
        var zip64EndRecord: Int?
    }

    func build() -> (bytes: [UInt8], layout: Layout) {
        var out: [UInt8] = []
        var layout = Layout()
        for member in members {
            layout.localHeaders.append(out.count)
            out.appendLE(UInt32(0x0403_4B50))
            out.appendLE(UInt16(45)); out.appendLE(UInt16(0)); out.appendLE(UInt16(0))  // version, flags, stored
            out.appendLE(UInt32(0))  // time+date
            out.appendLE(crc32(member.bytes))
            let size32: UInt32 = zip64 ? 0xFFFF_FFFF : UInt32(member.bytes.count)
            out.appendLE(size32); out.appendLE(size32)
            out.appendLE(UInt16(member.name.utf8.count)); out.appendLE(UInt16(zip64 ? 20 : 0))
            out.append(member.name)
            if zip64 {
                out.appendLE(UInt16(1)); out.appendLE(UInt16(16))
                out.appendLE(UInt64(member.bytes.count)); out.appendLE(UInt64(member.bytes.count))
            }
            out.append(contentsOf: member.bytes)
        }
        layout.centralDirectory = out.count
        for (member, localOffset) in zip(members, layout.localHeaders) {
            layout.centralHeaders.append(out.count)
            out.appendLE(UInt32(0x0201_4B50))
            out.appendLE(UInt16(45)); out.appendLE(UInt16(45)); out.appendLE(UInt16(0)); out.appendLE(UInt16(0))
            out.appendLE(UInt32(0))
            out.appendLE(crc32(member.bytes))
            let size32: UInt32 = zip64 ? 0xFFFF_FFFF : UInt32(member.bytes.count)
            out.appendLE(size32); out.appendLE(size32)
            out.appendLE(UInt16(member.name.utf8.count)); out.appendLE(UInt16(zip64 ? 28 : 0)); out.appendLE(UInt16(0))
            out.appendLE(UInt16(0)); out.appendLE(UInt16(0)); out.appendLE(UInt32(0))
            out.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(localOffset))
            out.append(member.name)
            if zip64 {
                out.appendLE(UInt16(1)); out.appendLE(UInt16(24))
                out.appendLE(UInt64(member.bytes.count)); out.appendLE(UInt64(member.bytes.count))
                out.appendLE(UInt64(localOffset))
            }
        }
        let directorySize = out.count - layout.centralDirectory
        if zip64 {
            layout.zip64EndRecord = out.count
            out.appendLE(UInt32(0x0606_4B50)); out.appendLE(UInt64(44))
            out.appendLE(UInt16(45)); out.appendLE(UInt16(45)); out.appendLE(UInt32(0)); out.appendLE(UInt32(0))
            out.appendLE(UInt64(members.count)); out.appendLE(UInt64(members.count))
            out.appendLE(UInt64(directorySize)); out.appendLE(UInt64(layout.centralDirectory))
            out.appendLE(UInt32(0x0706_4B50)); out.appendLE(UInt32(0)); out.appendLE(UInt64(layout.zip64EndRecord!))
            out.appendLE(UInt32(1))
        }
        layout.endRecord = out.count
        out.appendLE(UInt32(0x0605_4B50)); out.appendLE(UInt16(0)); out.appendLE(UInt16(0))
        let count16: UInt16 = zip64 ? 0xFFFF : UInt16(members.count)
        out.appendLE(count16); out.appendLE(count16)
        out.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(directorySize))
        out.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(layout.centralDirectory))
        out.appendLE(UInt16(0))
        return (out, layout)
    }

    /// Plain bitwise CRC-32 (IEEE), independent of the reader's.
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0 ..< 8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
