import Foundation

/// The tensor names and shapes of a safetensors file, read from its JSON header; enough for tests to compare
/// a built model's names with PyTorch's without depending on the safetensors reader.
enum SafetensorsHeaderForTests {
    static func shapes(of url: URL) throws -> [String: [Int]] {
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any]
        var shapes: [String: [Int]] = [:]
        for (name, entry) in header ?? [:] where name != "__metadata__" {
            shapes[name] = (entry as? [String: Any])?["shape"] as? [Int]
        }
        return shapes
    }
}
