import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct ZipArchiveReaderTests {
    static let sample = ZipBuilder(members: [
        .init(name: "archive/data.pkl", bytes: Array("pickle bytes".utf8)),
        .init(name: "archive/data/0", bytes: (0 ..< 64).map { UInt8($0) }),
        .init(name: "empty", bytes: []),
    ])

    func open(_ bytes: [UInt8]) throws -> ZipArchiveReader {
        try ZipArchiveReader(buffer: ByteBuffer(copying: bytes), source: "test.zip")
    }

    func expectError(_ bytes: [UInt8], containing text: String) {
        #expect {
            try open(bytes)
        } throws: { error in
            "\(error)".contains(text)
        }
    }

    @Test func readsStoredMembersInPlace() throws {
        let (bytes, layout) = Self.sample.build()
        let zip = try open(bytes)
        #expect(zip.entries.map(\.name) == ["archive/data.pkl", "archive/data/0", "empty"])
        let entry = try zip.requireEntry(named: "archive/data/0")
        #expect(entry.method == .stored)
        #expect(entry.localHeaderOffset == layout.localHeaders[1])
        #expect(entry.dataOffset == layout.localHeaders[1] + 30 + entry.name.utf8.count)
        let data = try zip.storedBytes(of: entry)
        #expect(Array(data.bytes) == (0 ..< 64).map { UInt8($0) })
        // Zero copy: the view points into the archive's own buffer.
        #expect(data.base == zip.buffer.base! + entry.dataOffset)
        let storage = try zip.storage(of: entry, key: "0")
        #expect(storage.key == "0" && storage.byteOffset == entry.dataOffset && storage.byteCount == 64)
        #expect(try zip.data(of: zip.requireEntry(named: "empty")).count == 0)
        #expect(zip.entry(named: "missing") == nil)
        #expect(throws: ModelFileError.self) { try zip.requireEntry(named: "missing") }
    }

    @Test func readsZip64Archives() throws {
        var builder = Self.sample
        builder.zip64 = true
        let (bytes, _) = builder.build()
        let zip = try open(bytes)
        #expect(zip.entries.count == 3)
        #expect(Array(try zip.data(of: zip.requireEntry(named: "archive/data.pkl")).bytes) == Array("pickle bytes".utf8))
        #expect(try zip.requireEntry(named: "archive/data/0").uncompressedSize == 64)
    }

    @Test func storedAndDeflatedNpzMembersAgree() throws {
        let stored = try ZipArchiveReader(path: Fixtures.path("numpy/mlp.npz"))
        let deflated = try ZipArchiveReader(path: Fixtures.path("numpy/mlp_compressed.npz"))
        #expect(stored.entries.map(\.name) == ["0.weight.npy", "0.bias.npy", "2.weight.npy", "2.bias.npy"])
        #expect(deflated.entries.map(\.name) == stored.entries.map(\.name))
        #expect(stored.entries.allSatisfy { $0.method == .stored })
        #expect(deflated.entries.allSatisfy { $0.method == .deflated })
        for entry in stored.entries {
            let other = try deflated.requireEntry(named: entry.name)
            #expect(other.uncompressedSize == entry.uncompressedSize)
            #expect(other.crc32 == entry.crc32)
            let inflated = try deflated.data(of: other)
            #expect(Array(inflated.bytes) == Array(try stored.data(of: entry).bytes))
            #expect(throws: ModelFileError.self) { try deflated.storedBytes(of: other) }
        }
    }

    @Test func refusesInflatingPastTheLimit() throws {
        let deflated = try ZipArchiveReader(path: Fixtures.path("numpy/mlp_compressed.npz"))
        let entry = try deflated.requireEntry(named: "0.weight.npy")
        #expect { try deflated.data(of: entry, limit: 1000) } throws: { "\($0)".contains("limit") }
    }

    @Test func rejectsDeflatedMembersThatLieAboutTheirSize() throws {
        let bytes = try Fixtures.bytes("numpy/mlp_compressed.npz")
        let original = try open(bytes)
        let entry = original.entries[3]
        let central = try #require(centralHeaderOffsets(bytes).last)
        // The CD stores sizes either in the header or in the ZIP64 extra; patch whichever holds the value.
        for (claim, expected) in [(entry.uncompressedSize - 1, "more than"), (entry.uncompressedSize + 5, "inflates to")] {
            var lying = bytes
            try patchUncompressedSize(&lying, central: central, to: claim)
            let zip = try open(lying)
            #expect { try zip.data(of: zip.entries[3]) } throws: { "\($0)".contains(expected) }
        }
        // A corrupted checksum is caught too.
        var badCRC = bytes
        badCRC[central + 16] ^= 0xFF
        let zip = try open(badCRC)
        #expect { try zip.data(of: zip.entries[3]) } throws: { "\($0)".contains("CRC") }
    }

    @Test func rejectsTruncatedDeflateStreams() throws {
        let bytes = try Fixtures.bytes("numpy/mlp_compressed.npz")
        let central = try #require(centralHeaderOffsets(bytes).first)
        var truncated = bytes
        let compressed = Int(truncated[central + 20]) | Int(truncated[central + 21]) << 8 | Int(truncated[central + 22]) << 16
        truncated.setLE(UInt32(compressed / 2), at: central + 20)
        let zip = try open(truncated)
        #expect { try zip.data(of: zip.entries[0]) } throws: { error in
            "\(error)".contains("deflate") || "\(error)".contains("inflates")
        }
    }

    @Test func everyTruncationIsAnError() throws {
        for zip64 in [false, true] {
            var builder = Self.sample
            builder.zip64 = zip64
            let bytes = builder.build().bytes
            for length in 0 ..< bytes.count {
                #expect(throws: ModelFileError.self) { try open(Array(bytes[0 ..< length])) }
            }
        }
    }

    @Test func rejectsBadEndRecords() throws {
        let (bytes, layout) = Self.sample.build()
        var noSignature = bytes
        noSignature[layout.endRecord] = 0
        expectError(noSignature, containing: "no end-of-central-directory record")
        expectError(Array(repeating: 0, count: 10), containing: "too small")
        var trailing = bytes
        trailing.append(contentsOf: [1, 2, 3])
        expectError(trailing, containing: "no end-of-central-directory record")
        var tooManyEntries = bytes
        tooManyEntries.setLE(UInt16(5000), at: layout.endRecord + 8)
        tooManyEntries.setLE(UInt16(5000), at: layout.endRecord + 10)
        expectError(tooManyEntries, containing: "claims 5000 entries")
        var directoryPastEnd = bytes
        directoryPastEnd.setLE(UInt32(0xFFFF_0000), at: layout.endRecord + 16)
        expectError(directoryPastEnd, containing: "runs past its end record")
        var multiDisk = bytes
        multiDisk.setLE(UInt16(1), at: layout.endRecord + 4)
        expectError(multiDisk, containing: "multi-disk")
        var fewerEntries = bytes
        fewerEntries.setLE(UInt16(2), at: layout.endRecord + 8)
        fewerEntries.setLE(UInt16(2), at: layout.endRecord + 10)
        expectError(fewerEntries, containing: "entries use")
    }

    @Test func rejectsLyingZip64Records() throws {
        var builder = Self.sample
        builder.zip64 = true
        let (bytes, layout) = builder.build()
        let record = try #require(layout.zip64EndRecord)
        var badOffset = bytes
        badOffset.setLE(UInt64.max, at: layout.endRecord - 20 + 8)
        expectError(badOffset, containing: "ZIP64 end record offset")
        var badCount = bytes
        badCount.setLE(UInt64(1) << 62, at: record + 24)
        badCount.setLE(UInt64(1) << 62, at: record + 32)
        expectError(badCount, containing: "entries")
        var badDirectoryOffset = bytes
        badDirectoryOffset.setLE(UInt64.max - 3, at: record + 48)
        expectError(badDirectoryOffset, containing: "too large")
        var noExtra = bytes
        noExtra.setLE(UInt16(0x9999), at: layout.centralHeaders[0] + 46 + "archive/data.pkl".utf8.count)
        expectError(noExtra, containing: "needs a ZIP64 extra field")
        var hugeSize = bytes
        hugeSize.setLE(UInt64(1) << 40, at: layout.centralHeaders[1] + 46 + "archive/data/0".utf8.count + 4)
        hugeSize.setLE(UInt64(1) << 40, at: layout.centralHeaders[1] + 46 + "archive/data/0".utf8.count + 12)
        expectError(hugeSize, containing: "runs past the start of the central directory")
    }

    @Test func rejectsLyingEntries() throws {
        let (bytes, layout) = Self.sample.build()
        let second = layout.centralHeaders[1]
        var sizePastDirectory = bytes
        sizePastDirectory.setLE(UInt32(10_000), at: second + 20)
        sizePastDirectory.setLE(UInt32(10_000), at: second + 24)
        expectError(sizePastDirectory, containing: "runs past the start of the central directory")
        var storedSizesDiffer = bytes
        storedSizesDiffer.setLE(UInt32(63), at: second + 20)
        expectError(storedSizesDiffer, containing: "claims 63 bytes stored but 64")
        var offsetPastEnd = bytes
        offsetPastEnd.setLE(UInt32(0x7FFF_FFF0), at: second + 42)
        expectError(offsetPastEnd, containing: "past the end")
        var wrongLocalSignature = bytes
        wrongLocalSignature[layout.localHeaders[1]] = 0
        expectError(wrongLocalSignature, containing: "bad signature for the local header")
        var overlapping = bytes
        overlapping.setLE(UInt32(layout.localHeaders[0]), at: second + 42)
        expectError(overlapping, containing: "names a different member")
        var nameTooLong = bytes
        nameTooLong.setLE(UInt16(60_000), at: second + 28)
        expectError(nameTooLong, containing: "name of central directory entry 1")
        var badCentralSignature = bytes
        badCentralSignature[second] = 0
        expectError(badCentralSignature, containing: "bad signature for central directory entry 1")
        var duplicate = ZipBuilder(members: [.init(name: "a", bytes: [1]), .init(name: "a", bytes: [2])])
        duplicate.zip64 = false
        expectError(duplicate.build().bytes, containing: "appears twice")
    }

    @Test func rejectsOverlappingMembers() throws {
        // Two central entries pointing at the same local header with the same name.
        let builder = ZipBuilder(members: [.init(name: "aa", bytes: [1, 2, 3]), .init(name: "ab", bytes: [4])])
        var (bytes, layout) = builder.build()
        bytes[layout.localHeaders[1] + 30 + 1] = UInt8(ascii: "a")  // second local name becomes "aa"
        bytes[layout.centralHeaders[1] + 46 + 1] = UInt8(ascii: "a")
        bytes.setLE(UInt32(layout.localHeaders[0]), at: layout.centralHeaders[1] + 42)
        bytes.setLE(UInt32(1), at: layout.centralHeaders[1] + 20)
        bytes.setLE(UInt32(1), at: layout.centralHeaders[1] + 24)
        expectError(bytes, containing: "overlap")
    }

    /// Offsets of every central header in a real archive (found through the reader's own parse of the end record).
    func centralHeaderOffsets(_ bytes: [UInt8]) throws -> [Int] {
        let zip = try open(bytes)
        var offsets: [Int] = []
        var position = bytes.count - 22
        while !(bytes[position] == 0x50 && bytes[position + 1] == 0x4B && bytes[position + 2] == 5) { position -= 1 }
        _ = zip
        var cursor = Int(bytes[position + 16]) | Int(bytes[position + 17]) << 8 | Int(bytes[position + 18]) << 16
        for _ in 0 ..< zip.entries.count {
            offsets.append(cursor)
            let name = Int(bytes[cursor + 28]) | Int(bytes[cursor + 29]) << 8
            let extra = Int(bytes[cursor + 30]) | Int(bytes[cursor + 31]) << 8
            let comment = Int(bytes[cursor + 32]) | Int(bytes[cursor + 33]) << 8
            cursor += 46 + name + extra + comment
        }
        return offsets
    }

    func patchUncompressedSize(_ bytes: inout [UInt8], central: Int, to value: Int) throws {
        let current = UInt32(bytes[central + 24]) | UInt32(bytes[central + 25]) << 8
            | UInt32(bytes[central + 26]) << 16 | UInt32(bytes[central + 27]) << 24
        if current != 0xFFFF_FFFF {
            bytes.setLE(UInt32(value), at: central + 24)
            return
        }
        let name = Int(bytes[central + 28]) | Int(bytes[central + 29]) << 8
        // ZIP64 extra: id, size, then the uncompressed size first.
        bytes.setLE(UInt64(value), at: central + 46 + name + 4)
    }
}
