/// Parses the end-of-central-directory records (classic and ZIP64), the central directory and every local
/// header, checking each claim against the bytes present.
enum ZipCentralDirectory {
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50
    static let endRecordSize = 22
    static let zip64LocatorSize = 20
    static let zip64EndMinimumSize = 56
    static let centralHeaderSize = 46
    static let localHeaderSize = 30

    /// Where the central directory is and how many entries it holds.
    struct Directory {
        var entryCount: Int
        var offset: Int
        var size: Int
        /// First byte after the central directory that belongs to the end records (for bounds).
        var end: Int
    }

    static func read(_ reader: ByteReader) throws -> [ZipEntry] {
        let directory = try findDirectory(reader)
        return try readEntries(reader, directory)
    }

    /// Finds the end record: searched backwards over at most the last 64 KiB + 22 bytes (the largest comment), and
    /// accepted only where its comment ends exactly at the end of the file.
    static func findEndRecord(_ reader: ByteReader) throws -> Int {
        guard reader.count >= endRecordSize else {
            throw ModelFileError("not a zip archive: \(reader.count) bytes is too small for an end-of-central-directory record")
        }
        let lowest = max(0, reader.count - endRecordSize - 0xFFFF)
        var offset = reader.count - endRecordSize
        while offset >= lowest {
            if try reader.u32(offset, "end record signature") == endSignature {
                let commentLength = Int(try reader.u16(offset + 20, "zip comment length"))
                if offset + endRecordSize + commentLength == reader.count { return offset }
            }
            offset -= 1
        }
        throw ModelFileError("not a zip archive: no end-of-central-directory record in the last \(reader.count - lowest) bytes")
    }

    static func findDirectory(_ reader: ByteReader) throws -> Directory {
        let endOffset = try findEndRecord(reader)
        let diskNumber = try reader.u16(endOffset + 4, "disk number")
        let directoryDisk = try reader.u16(endOffset + 6, "central directory disk")
        let entriesOnDisk = try reader.u16(endOffset + 8, "entries on this disk")
        let totalEntries = try reader.u16(endOffset + 10, "total entries")
        let size32 = try reader.u32(endOffset + 12, "central directory size")
        let offset32 = try reader.u32(endOffset + 16, "central directory offset")

        var directory: Directory
        let locatorOffset = endOffset - zip64LocatorSize
        if locatorOffset >= 0, try reader.u32(locatorOffset, "ZIP64 locator signature") == zip64LocatorSignature {
            directory = try readZip64End(reader, locatorOffset: locatorOffset)
        } else {
            if totalEntries == 0xFFFF || size32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
                throw ModelFileError("zip end record needs ZIP64 values but has no ZIP64 locator")
            }
            guard diskNumber == 0, directoryDisk == 0, entriesOnDisk == totalEntries else {
                throw ModelFileError("multi-disk zip archives are not supported")
            }
            directory = Directory(entryCount: Int(totalEntries), offset: Int(offset32), size: Int(size32), end: endOffset)
        }
        let directoryEnd = try CheckedArithmetic.add(directory.offset, directory.size, "central directory end")
        guard directoryEnd <= directory.end else {
            throw ModelFileError("central directory (offset \(directory.offset), \(directory.size) bytes) runs past its end record at byte \(directory.end)")
        }
        // Each entry takes at least 46 bytes: check the claimed count before reserving anything for it.
        guard directory.entryCount <= directory.size / centralHeaderSize else {
            throw ModelFileError("zip claims \(directory.entryCount) entries but its \(directory.size)-byte central directory holds at most \(directory.size / centralHeaderSize)")
        }
        return directory
    }

    static func readZip64End(_ reader: ByteReader, locatorOffset: Int) throws -> Directory {
        let recordDisk = try reader.u32(locatorOffset + 4, "ZIP64 end record disk")
        let recordOffset = try CheckedArithmetic.int(try reader.u64(locatorOffset + 8, "ZIP64 end record offset"),
                                                     "ZIP64 end record offset")
        let diskCount = try reader.u32(locatorOffset + 16, "disk count")
        guard recordDisk == 0, diskCount <= 1 else { throw ModelFileError("multi-disk zip archives are not supported") }
        guard recordOffset <= locatorOffset - zip64EndMinimumSize else {
            throw ModelFileError("ZIP64 end record offset \(recordOffset) does not leave room before its locator at byte \(locatorOffset)")
        }
        guard try reader.u32(recordOffset, "ZIP64 end record signature") == zip64EndSignature else {
            throw ModelFileError("bad ZIP64 end record signature at byte \(recordOffset)")
        }
        let recordSize = try CheckedArithmetic.int(try reader.u64(recordOffset + 4, "ZIP64 end record size"), "ZIP64 end record size")
        guard recordSize >= zip64EndMinimumSize - 12, recordSize <= locatorOffset - recordOffset - 12 else {
            throw ModelFileError("ZIP64 end record size \(recordSize) does not fit before its locator")
        }
        let diskNumber = try reader.u32(recordOffset + 16, "disk number")
        let directoryDisk = try reader.u32(recordOffset + 20, "central directory disk")
        let entriesOnDisk = try reader.u64(recordOffset + 24, "entries on this disk")
        let totalEntries = try reader.u64(recordOffset + 32, "total entries")
        guard diskNumber == 0, directoryDisk == 0, entriesOnDisk == totalEntries else {
            throw ModelFileError("multi-disk zip archives are not supported")
        }
        return Directory(
            entryCount: try CheckedArithmetic.int(totalEntries, "zip entry count"),
            offset: try CheckedArithmetic.int(try reader.u64(recordOffset + 48, "central directory offset"), "central directory offset"),
            size: try CheckedArithmetic.int(try reader.u64(recordOffset + 40, "central directory size"), "central directory size"),
            end: recordOffset)
    }

    static func readEntries(_ reader: ByteReader, _ directory: Directory) throws -> [ZipEntry] {
        var entries: [ZipEntry] = []
        entries.reserveCapacity(directory.entryCount)
        var position = directory.offset
        let directoryEnd = directory.offset + directory.size
        let directoryBytes = ByteReader(try reader.slice(0, directoryEnd, "central directory"), file: reader.file)
        for number in 0 ..< directory.entryCount {
            let (entry, next) = try readCentralHeader(directoryBytes, at: position, number: number, archive: reader,
                                                      dataLimit: directory.offset)
            entries.append(entry)
            position = next
        }
        guard position == directoryEnd else {
            throw ModelFileError("central directory is \(directory.size) bytes but its \(directory.entryCount) entries use \(position - directory.offset)")
        }
        try checkNoOverlap(entries)
        return entries
    }

    /// Reads central header `number` at `offset`; `directory` ends where the central directory ends.
    static func readCentralHeader(_ directory: ByteReader, at offset: Int, number: Int, archive: ByteReader,
                                  dataLimit: Int) throws -> (ZipEntry, Int) {
        let what = "central directory entry \(number)"
        guard try directory.u32(offset, "\(what) signature") == centralSignature else {
            throw ModelFileError("bad signature for \(what) at byte \(offset)")
        }
        let flags = try directory.u16(offset + 8, what)
        let method = try directory.u16(offset + 10, what)
        let crc = try directory.u32(offset + 16, what)
        var compressed = UInt64(try directory.u32(offset + 20, what))
        var uncompressed = UInt64(try directory.u32(offset + 24, what))
        let nameLength = Int(try directory.u16(offset + 28, what))
        let extraLength = Int(try directory.u16(offset + 30, what))
        let commentLength = Int(try directory.u16(offset + 32, what))
        let startDisk = try directory.u16(offset + 34, what)
        var localOffset = UInt64(try directory.u32(offset + 42, what))
        let nameBytes = try directory.slice(offset + centralHeaderSize, nameLength, "name of \(what)")
        let extra = try directory.slice(offset + centralHeaderSize + nameLength, extraLength, "extra field of \(what)")
        let next = offset + centralHeaderSize + nameLength + extraLength + commentLength
        try directory.require(offset, next - offset, "comment of \(what)")

        let name = decodeName(nameBytes)
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF || startDisk == 0xFFFF {
            try applyZip64Extra(ByteReader(extra, file: directory.file), name: name,
                                uncompressed: &uncompressed, compressed: &compressed, localOffset: &localOffset,
                                diskIsZip64: startDisk == 0xFFFF)
        } else if startDisk != 0 {
            throw ModelFileError("zip member \"\(name)\" is on disk \(startDisk): multi-disk archives are not supported")
        }
        let compressedSize = try CheckedArithmetic.int(compressed, "compressed size of \"\(name)\"")
        let uncompressedSize = try CheckedArithmetic.int(uncompressed, "uncompressed size of \"\(name)\"")
        let headerOffset = try CheckedArithmetic.int(localOffset, "local header offset of \"\(name)\"")
        let methodKind = ZipEntry.Method(code: method)
        if methodKind == .stored, compressedSize != uncompressedSize {
            throw ModelFileError("stored zip member \"\(name)\" claims \(compressedSize) bytes stored but \(uncompressedSize) uncompressed")
        }
        let dataOffset = try localDataOffset(archive, headerOffset: headerOffset, name: nameBytes, displayName: name)
        let dataEnd = try CheckedArithmetic.add(dataOffset, compressedSize, "end of zip member \"\(name)\"")
        guard dataEnd <= dataLimit else {
            throw ModelFileError("zip member \"\(name)\" (\(compressedSize) bytes at byte \(dataOffset)) runs past the start of the central directory at byte \(dataLimit)")
        }
        let entry = ZipEntry(name: name, method: methodKind, flags: flags, crc32: crc, compressedSize: compressedSize,
                             uncompressedSize: uncompressedSize, localHeaderOffset: headerOffset, dataOffset: dataOffset)
        return (entry, next)
    }

    /// ZIP64 extended information (header id 1): the 64-bit values appear, in this order, only for the fields
    /// whose 32-bit slot holds the 0xFFFFFFFF marker.
    static func applyZip64Extra(_ extra: ByteReader, name: String, uncompressed: inout UInt64, compressed: inout UInt64,
                                localOffset: inout UInt64, diskIsZip64: Bool) throws {
        var position = 0
        while position + 4 <= extra.count {
            let id = try extra.u16(position, "extra field id")
            let size = Int(try extra.u16(position + 2, "extra field size"))
            let body = ByteReader(try extra.slice(position + 4, size, "extra field of \"\(name)\""), file: extra.file)
            if id == 1 {
                var field = 0
                let what = "ZIP64 extra field of \"\(name)\""
                if uncompressed == 0xFFFF_FFFF { uncompressed = try body.u64(field, what); field += 8 }
                if compressed == 0xFFFF_FFFF { compressed = try body.u64(field, what); field += 8 }
                if localOffset == 0xFFFF_FFFF { localOffset = try body.u64(field, what); field += 8 }
                if diskIsZip64, try body.u32(field, what) != 0 {
                    throw ModelFileError("zip member \"\(name)\" is on another disk: multi-disk archives are not supported")
                }
                return
            }
            position += 4 + size
        }
        throw ModelFileError("zip member \"\(name)\" needs a ZIP64 extra field but has none")
    }

    /// Checks the local header at `headerOffset` and returns where the member's data starts.
    static func localDataOffset(_ archive: ByteReader, headerOffset: Int, name: UnsafeRawBufferPointer,
                                displayName: String) throws -> Int {
        let what = "local header of \"\(displayName)\""
        try archive.require(headerOffset, localHeaderSize, what)
        guard try archive.u32(headerOffset, what) == localSignature else {
            throw ModelFileError("bad signature for the \(what) at byte \(headerOffset)")
        }
        let nameLength = Int(try archive.u16(headerOffset + 26, what))
        let extraLength = Int(try archive.u16(headerOffset + 28, what))
        let localName = try archive.slice(headerOffset + localHeaderSize, nameLength, "name in the \(what)")
        guard localName.elementsEqual(name) else {
            throw ModelFileError("the \(what) names a different member")
        }
        let dataOffset = headerOffset + localHeaderSize + nameLength + extraLength
        try archive.require(headerOffset, dataOffset - headerOffset, "extra field in the \(what)")
        return dataOffset
    }

    /// Members must not share bytes (an overlapping archive is a zip bomb or corrupt).
    static func checkNoOverlap(_ entries: [ZipEntry]) throws {
        let ordered = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, current) in zip(ordered, ordered.dropFirst()) where previous.dataRange.upperBound > current.localHeaderOffset {
            throw ModelFileError("zip members \"\(previous.name)\" and \"\(current.name)\" overlap")
        }
    }

    /// Names are UTF-8 when flagged (and in practice always for PyTorch and NumPy); otherwise bytes that are not
    /// valid UTF-8 are read as Latin-1 rather than rejected.
    static func decodeName(_ bytes: UnsafeRawBufferPointer) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
