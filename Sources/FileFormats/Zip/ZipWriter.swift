/// Writes a zip archive of stored (uncompressed) members — what `numpy.savez` writes — atomically.
///
/// Members are given as chunks of bytes already in memory or mapped, so a large member is streamed from its
/// mapping, not copied. Archives beyond the classic zip limits (4 GiB, 65,535 members) are refused with a clear
/// error rather than written wrongly, since zip64 is not implemented.
enum ZipWriter {
    /// One member: its name and its bytes as consecutive chunks.
    struct Member {
        var name: String
        var chunks: [ByteBuffer]

        var size: Int { chunks.reduce(0) { $0 + $1.count } }
    }

    /// Writes `members` to `path` (temp file, fsync, rename).
    static func write(_ members: [Member], to path: String, overwrite: Bool = true) throws {
        guard members.count <= 0xFFFF else {
            throw ModelFileError("\(members.count) members are more than a zip without zip64 can hold", file: path)
        }
        var names = Set<String>()
        var central: [UInt8] = []
        var offset = 0
        var plan: [(header: [UInt8], member: Member)] = []
        for member in members {
            guard names.insert(member.name).inserted else {
                throw ModelFileError("zip member \"\(member.name)\" given twice", file: path)
            }
            let name = Array(member.name.utf8)
            guard name.count <= 0xFFFF else { throw ModelFileError("zip member name is too long", file: path) }
            let size = member.size
            guard size < 0xFFFF_FFFF, offset < 0xFFFF_FFFF else {
                throw ModelFileError("member \"\(member.name)\" lies beyond 4 GiB, which needs zip64 (not supported); write safetensors instead", file: path)
            }
            var crc = ZipChecksum()
            for chunk in member.chunks { crc.update(chunk.bytes) }
            var local: [UInt8] = []
            local.appendLittleEndian(UInt32(0x0403_4B50))
            local.appendLittleEndian(UInt16(20))                       // version needed: 2.0
            local.appendLittleEndian(UInt16(0x0800))                   // flags: names are UTF-8
            local.appendLittleEndian(UInt16(0))                        // method: stored
            local.appendLittleEndian(UInt16(0))                        // time
            local.appendLittleEndian(UInt16(0x21))                     // date: 1980-01-01
            local.appendLittleEndian(crc.value)
            local.appendLittleEndian(UInt32(size))
            local.appendLittleEndian(UInt32(size))
            local.appendLittleEndian(UInt16(name.count))
            local.appendLittleEndian(UInt16(0))                        // extra length
            local += name

            central.appendLittleEndian(UInt32(0x0201_4B50))
            central.appendLittleEndian(UInt16(20))                     // made by
            central.appendLittleEndian(UInt16(20))                     // version needed
            central.appendLittleEndian(UInt16(0x0800))
            central.appendLittleEndian(UInt16(0))
            central.appendLittleEndian(UInt16(0))
            central.appendLittleEndian(UInt16(0x21))
            central.appendLittleEndian(crc.value)
            central.appendLittleEndian(UInt32(size))
            central.appendLittleEndian(UInt32(size))
            central.appendLittleEndian(UInt16(name.count))
            central.appendLittleEndian(UInt16(0))                      // extra
            central.appendLittleEndian(UInt16(0))                      // comment
            central.appendLittleEndian(UInt16(0))                      // disk
            central.appendLittleEndian(UInt16(0))                      // internal attributes
            central.appendLittleEndian(UInt32(0o100644) << 16)         // external: a regular file, rw-r--r--
            central.appendLittleEndian(UInt32(offset))
            central += name

            plan.append((local, member))
            offset += local.count + size
        }
        guard offset < 0xFFFF_FFFF else {
            throw ModelFileError("the archive would be larger than 4 GiB, which needs zip64 (not supported); write safetensors instead", file: path)
        }
        var end: [UInt8] = []
        end.appendLittleEndian(UInt32(0x0605_4B50))
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(UInt16(members.count))
        end.appendLittleEndian(UInt16(members.count))
        end.appendLittleEndian(UInt32(central.count))
        end.appendLittleEndian(UInt32(offset))
        end.appendLittleEndian(UInt16(0))
        try AtomicFileWriter.write(to: path, overwrite: overwrite) { write in
            for (header, member) in plan {
                try header.withUnsafeBytes { try write($0) }
                for chunk in member.chunks where chunk.count > 0 { try write(chunk.bytes) }
            }
            try central.withUnsafeBytes { try write($0) }
            try end.withUnsafeBytes { try write($0) }
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
