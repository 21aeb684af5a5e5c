import Testing
@testable import FileFormats
@testable import ModelFiles

/// One crafted file per rule of the reference reader (formats.md §1), each expecting its own error kind.
@Suite struct SafeTensorsValidationTests {
    /// `u64 N` + header (as given, unpadded) + `data` bytes.
    func file(header: String, data: Int = 0, claimedLength: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLE(claimedLength ?? UInt64(header.utf8.count))
        bytes.append(header)
        bytes += Array(repeating: 0, count: data)
        return bytes
    }

    func kind(of bytes: [UInt8]) -> SafeTensorsError.Kind? {
        do {
            _ = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes), source: "crafted")
            return nil
        } catch {
            return error.kind
        }
    }

    func message(of bytes: [UInt8]) -> String {
        do {
            _ = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes), source: "crafted")
            return ""
        } catch {
            return error.description
        }
    }

    let tensor = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    @Test func validFileOpens() throws {
        let archive = try SafeTensorsReader.read(buffer: ByteBuffer(copying: file(header: tensor, data: 8)))
        #expect(archive.tensors.map(\.shape) == [[2]])
    }

    @Test func headerTooSmall() { #expect(kind(of: [1, 2, 3]) == .headerTooSmall) }

    @Test func headerTooLarge() {
        #expect(kind(of: file(header: "{}", claimedLength: 100_000_001)) == .headerTooLarge)
        #expect(kind(of: file(header: "{}", claimedLength: .max)) == .headerTooLarge)
    }

    @Test func invalidHeaderLength() {
        #expect(kind(of: file(header: "{}", claimedLength: 50)) == .invalidHeaderLength)
        #expect(message(of: file(header: "{}", claimedLength: 50)).contains("header claims 50 bytes"))
    }

    @Test func headerNotUTF8() {
        var bytes = file(header: #"{"a\#u{e9}":1}"#)
        bytes[11] = 0xFF
        #expect(kind(of: bytes) == .invalidHeader)
    }

    @Test(arguments: [
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]"#, "not valid JSON"),
        (#"[1,2]"#, "not a JSON object"),
        (#"{"a":{"dtype":"F99","shape":[2],"data_offsets":[0,8]}}"#, "unknown dtype \"F99\""),
        (#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "negative number -2"),
        (#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, "2.5 is not an integer"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}"#, "has 3 numbers, expected 2"),
        (#"{"a":{"dtype":"F32","shape":[2]}}"#, "missing field \"data_offsets\""),
        (#"{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "value for \"k\" is a number, not a string"),
        (#"{"__metadata__":[],"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "not an object of strings"),
        (#"{"a":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,8]}}"#, "too large"),
        (String(repeating: "[", count: 500), "nested more than"),
    ])
    func invalidHeaderDeserialization(header: String, detail: String) {
        let bytes = file(header: header, data: 8)
        #expect(kind(of: bytes) == .invalidHeaderDeserialization)
        #expect(message(of: bytes).contains(detail), "\(message(of: bytes))")
    }

    @Test func unknownExtraFieldsAreIgnored() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":{"x":[1]}}}"#
        #expect(kind(of: file(header: header, data: 8)) == nil)
    }

    @Test func invalidOffset() {
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(kind(of: file(header: gap, data: 8)) == .invalidOffset("a"))
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(kind(of: file(header: overlap, data: 8)) == .invalidOffset("b"))
        let sameOffsets = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(kind(of: file(header: sameOffsets, data: 8)) == .invalidOffset("b"))
        let backwards = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"c":{"dtype":"U8","shape":[0],"data_offsets":[2,1]}}"#
        #expect(kind(of: file(header: backwards, data: 2)) == .invalidOffset("c"))
    }

    @Test func validationOverflow() {
        let header = #"{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
        #expect(kind(of: file(header: header, data: 8)) == .validationOverflow)
    }

    @Test func misalignedSlice() {
        let header = #"{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#
        #expect(kind(of: file(header: header, data: 2)) == .misalignedSlice)
    }

    @Test func tensorInvalidInfo() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(kind(of: file(header: header, data: 8)) == .tensorInvalidInfo)
    }

    @Test func metadataIncompleteBuffer() {
        #expect(kind(of: file(header: tensor, data: 12)) == .metadataIncompleteBuffer)  // trailing bytes
        let short = file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: 8)
        #expect(kind(of: short) == .metadataIncompleteBuffer)
    }

    @Test func tensorNamedMetadata() {
        let header = #"{"__metadata__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(kind(of: file(header: header, data: 8)) == .reservedName)
    }

    @Test func duplicateNames() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(kind(of: file(header: header, data: 8)) == .duplicateName)
    }

    @Test func everyTruncationOfARealFileIsAnError() throws {
        let bytes = try Fixtures.bytes("safetensors/seed_tied.safetensors")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(kind(of: Array(bytes[0 ..< length])) != nil)
        }
    }

    @Test func float8KindsDecode() throws {
        // E4M3FN: 0x38 = 1.0, 0x7E = 448 (max), 0x7F NaN, 0x01 = 2^-9. E5M2: 0x3C = 1.0, 0x7C = inf.
        let header = #"{"e4":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]},"e5":{"dtype":"F8_E5M2","shape":[2],"data_offsets":[4,6]}}"#
        var bytes = file(header: header)
        bytes += [0x38, 0x7E, 0x7F, 0x01, 0x3C, 0x7C]
        let archive = try SafeTensorsReader.read(buffer: ByteBuffer(copying: bytes))
        let e4 = try archive.tensor(named: "e4")!.floatValues(limit: 4)
        #expect(e4[0] == 1 && e4[1] == 448 && e4[2].isNaN && e4[3] == 0x1p-9)
        #expect(try archive.tensor(named: "e5")!.floatValues(limit: 2) == [1, .infinity])
    }
}
