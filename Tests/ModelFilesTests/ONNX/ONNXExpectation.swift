import Foundation
@testable import FileFormats
@testable import ModelFiles

/// What the `onnx` Python package reads from a fixture (scripts/reference/make_onnx_reference.py writes it as
/// `NAME.onnx.expect.json`): initializers with an FNV-1a hash of their bytes, inputs, outputs, opsets, op counts.
struct ONNXExpectation {
    struct Initializer {
        var name: String
        var dtype: String
        var dims: [Int]
        /// Nil for types nnview does not read.
        var hash: String?
        /// The values of small tensors, as doubles.
        var values: [Double]?
    }

    struct Value: Equatable, CustomStringConvertible {
        var name: String
        var dtype: String
        /// Dimensions as text (`batch`, `4`, `?`), nil for an unknown rank.
        var shape: [String]?
        var description: String { "\(name) \(dtype) \(shape.map { "\($0)" } ?? "?")" }
    }

    var irVersion: Int
    var producerName: String
    var producerVersion: String
    var opsets: [ONNXOpsetImport]
    var inputs: [Value]
    var outputs: [Value]
    var initializers: [Initializer]
    var parameterTotal: Int
    var nodes: Int
    var opCounts: [String: Int]

    init(path: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        func value(_ entry: Any) -> Value {
            let entry = entry as! [String: Any]
            let shape = (entry["shape"] as? [Any])?.map { dimension -> String in
                if let size = dimension as? Int { return String(size) }
                return (dimension as? String) ?? "?"
            }
            return Value(name: entry["name"] as! String, dtype: entry["dtype"] as! String, shape: shape)
        }
        irVersion = object["ir_version"] as! Int
        producerName = object["producer_name"] as! String
        producerVersion = object["producer_version"] as! String
        opsets = (object["opset_import"] as! [[String: Any]]).map {
            ONNXOpsetImport(domain: $0["domain"] as! String, version: $0["version"] as! Int)
        }
        inputs = (object["inputs"] as! [Any]).map(value)
        outputs = (object["outputs"] as! [Any]).map(value)
        initializers = (object["initializers"] as! [[String: Any]]).map {
            Initializer(name: $0["name"] as! String, dtype: $0["dtype"] as! String, dims: $0["dims"] as! [Int],
                        hash: $0["fnv1a64"] as? String, values: ($0["values"] as? [NSNumber])?.map(\.doubleValue))
        }
        parameterTotal = object["parameter_total"] as! Int
        nodes = object["nodes"] as! Int
        opCounts = object["op_counts"] as! [String: Int]
    }

    /// `value` as the expectation spells it.
    static func value(_ info: ONNXValueInfo) -> Value {
        Value(name: info.name, dtype: info.typeName, shape: info.shape?.map(\.description))
    }

    /// FNV-1a 64 of `bytes`, as 16 hex digits (the script's hash).
    static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
