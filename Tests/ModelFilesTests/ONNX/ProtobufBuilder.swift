/// Writes protobuf wire format for crafted ONNX files in tests (fields in the order they are added).
struct ProtobufBuilder {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func key(_ number: Int, _ wire: UInt64) { varint(UInt64(number) << 3 | wire) }

    mutating func int(_ number: Int, _ value: Int) {
        key(number, 0)
        varint(UInt64(bitPattern: Int64(value)))
    }

    mutating func bytes(_ number: Int, _ value: [UInt8]) {
        key(number, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ number: Int, _ value: String) { bytes(number, Array(value.utf8)) }

    mutating func message(_ number: Int, _ value: ProtobufBuilder) { bytes(number, value.bytes) }

    mutating func fixed32(_ number: Int, _ value: UInt32) {
        key(number, 5)
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// A repeated varint field written packed.
    mutating func packed(_ number: Int, _ values: [Int]) {
        var body = ProtobufBuilder()
        for value in values { body.varint(UInt64(bitPattern: Int64(value))) }
        bytes(number, body.bytes)
    }

    // MARK: ONNX messages

    /// A TensorProto with `dims` (unpacked, as onnx writes them), `dataType` and `name`.
    static func tensor(_ name: String, type dataType: Int = 1, dims: [Int]) -> ProtobufBuilder {
        var tensor = ProtobufBuilder()
        for size in dims { tensor.int(1, size) }
        tensor.int(2, dataType)
        tensor.string(8, name)
        return tensor
    }

    /// A TensorProto with external data entries.
    static func externalTensor(_ name: String, dims: [Int], entries: [(String, String)]) -> ProtobufBuilder {
        var tensor = Self.tensor(name, dims: dims)
        for (key, value) in entries {
            var entry = ProtobufBuilder()
            entry.string(1, key)
            entry.string(2, value)
            tensor.message(13, entry)
        }
        tensor.int(14, 1)
        return tensor
    }

    /// A GraphProto holding `initializers` and `nodes`.
    static func graph(initializers: [ProtobufBuilder] = [], nodes: [ProtobufBuilder] = []) -> ProtobufBuilder {
        var graph = ProtobufBuilder()
        for node in nodes { graph.message(1, node) }
        graph.string(2, "g")
        for tensor in initializers { graph.message(5, tensor) }
        return graph
    }

    /// A ModelProto (IR 8, opset 17) around `graph`.
    static func model(_ graph: ProtobufBuilder) -> [UInt8] {
        var model = ProtobufBuilder()
        model.int(1, 8)
        model.string(2, "test")
        model.message(7, graph)
        var opset = ProtobufBuilder()
        opset.string(1, "")
        opset.int(2, 17)
        model.message(8, opset)
        return model.bytes
    }
}
