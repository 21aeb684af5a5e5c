import Foundation

/// Reads the few dtypes the reference files use from a safetensors file (an 8-byte header length, a JSON header,
/// then the raw little-endian data). Kept here so the Images tests depend on nothing but Images.
struct SafeTensorsFixture {
    struct Entry {
        let dtype: String
        let shape: [Int]
        let bytes: Data
    }

    let entries: [String: Entry]

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + headerLength)) as! [String: Any]
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            let fields = value as! [String: Any]
            let offsets = fields["data_offsets"] as! [Int]
            entries[name] = Entry(dtype: fields["dtype"] as! String, shape: fields["shape"] as! [Int],
                                  bytes: data.subdata(in: 8 + headerLength + offsets[0]..<8 + headerLength + offsets[1]))
        }
        self.entries = entries
    }

    func entry(_ name: String, dtype: String) throws -> Entry {
        guard let entry = entries[name] else { throw FixtureError("no tensor \(name)") }
        guard entry.dtype == dtype else { throw FixtureError("\(name) is \(entry.dtype), not \(dtype)") }
        return entry
    }

    func floats(_ name: String) throws -> [Float] { try values(name, dtype: "F32", as: Float.self) }
    func int64s(_ name: String) throws -> [Int] { try values(name, dtype: "I64", as: Int64.self).map(Int.init) }
    func int32s(_ name: String) throws -> [Int] { try values(name, dtype: "I32", as: Int32.self).map(Int.init) }
    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try entry(name, dtype: "U8").bytes) }

    private func values<T>(_ name: String, dtype: String, as type: T.Type) throws -> [T] {
        let bytes = try entry(name, dtype: dtype).bytes
        return bytes.withUnsafeBytes { raw in
            (0..<bytes.count / MemoryLayout<T>.size).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The test target's Fixtures folder (copied as a resource).
enum Fixtures {
    static var folder: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }
    static func url(_ relativePath: String) -> URL { folder.appendingPathComponent(relativePath) }

    /// The reference images written by scripts/reference/make_image_references.py.
    static let referenceImages = [
        "baseline.jpg", "progressive.jpg", "portrait.png", "grey.jpg", "grey.png", "grey_alpha.png", "rgba.png",
        "palette.png", "palette4.png", "rgb16.png", "grey16.png", "interlaced.png", "cmyk.jpg", "small.jpg",
        "exact257x256.png",
    ]
}
