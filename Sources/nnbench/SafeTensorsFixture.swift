import Foundation

/// Writes safetensors files for the file workloads: a header naming each tensor, then its bytes, which are either
/// supplied or left as a hole (`ftruncate`), so a 16 GB checkpoint costs no disk space.
struct SafeTensorsFixture {
    /// One tensor entry: name, dtype ("F32", "BF16", …), shape.
    struct Entry {
        let name: String
        let dtype: String
        let shape: [Int]

        var byteCount: Int { shape.reduce(1, *) * (dtype == "F32" ? 4 : 2) }
    }

    let entries: [Entry]

    /// The 8-byte length + JSON header, padded with spaces to a multiple of 8 bytes.
    func headerBytes() -> [UInt8] {
        var offset = 0
        var fields: [String] = []
        for entry in entries {
            let end = offset + entry.byteCount
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var json = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while (json.count + 8) % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        var length = UInt64(json.count)
        for _ in 0 ..< 8 {
            bytes.append(UInt8(length & 0xff))
            length >>= 8
        }
        return bytes + json
    }

    /// Total bytes of tensor data.
    var dataByteCount: Int { entries.reduce(0) { $0 + $1.byteCount } }

    /// Writes the header, then `data(entryIndex)` for each tensor, or a sparse hole when `data` is nil.
    func write(to path: String, data: ((Int) -> [UInt8])? = nil) throws {
        let header = headerBytes()
        guard FileManager.default.createFile(atPath: path, contents: Data(header)) else {
            throw BenchmarkError("cannot create \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        if let data {
            for index in entries.indices { try handle.write(contentsOf: data(index)) }
        } else {
            try handle.truncate(atOffset: UInt64(header.count + dataByteCount))
        }
    }

    /// A scratch folder under the system temporary directory, removed by `removeScratchFolder`.
    static func makeScratchFolder() throws -> String {
        let path = NSTemporaryDirectory() + "nnbench-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeScratchFolder(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
