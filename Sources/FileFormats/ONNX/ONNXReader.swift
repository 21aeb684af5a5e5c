/// Reads ONNX model files (`.onnx`, a protobuf `ModelProto`) with a small wire-format reader over the mapped file,
/// so initializers stay in the mapping (or in their mapped external data file) instead of being copied.
///
/// `read` gives the whole model (`ONNXModel`: graph, nodes, value types, opsets); `archive` turns its initializers
/// into the `TensorRecord`s every other format gives, so the tree, the summary and the explorer work unchanged.
public enum ONNXReader {
    /// The `ModelProto` fields and their wire types, for sniffing.
    static let modelFields: [Int: ProtobufReader.WireType] = [
        1: .varint, 2: .lengthDelimited, 3: .lengthDelimited, 4: .lengthDelimited, 5: .varint, 6: .lengthDelimited,
        7: .lengthDelimited, 8: .lengthDelimited, 14: .lengthDelimited, 20: .lengthDelimited, 25: .lengthDelimited,
        26: .lengthDelimited,
    ]

    /// Whether `bytes` look like a `ModelProto`: exporters write `ir_version` (field 1, a small varint) first, and
    /// the next field must be another `ModelProto` field with its wire type.
    public static func looksLikeONNX(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var reader = ProtobufReader(bytes: bytes, range: 0 ..< min(bytes.count, 64))
        guard let (first, wire) = try? reader.nextField(in: "ModelProto"), first == 1, wire == .varint,
              let irVersion = try? reader.varint("ir_version"), (1 ... 100).contains(irVersion) else { return false }
        if reader.isAtEnd { return bytes.count == reader.position }
        guard let (second, secondWire) = try? reader.nextField(in: "ModelProto") else { return false }
        return modelFields[second] == secondWire
    }

    /// Maps and reads the ONNX file at `path`; external data is looked up beside it.
    public static func read(path: String) throws -> ONNXModel {
        try read(buffer: ByteBuffer.map(path: path), source: path, externalDataFolder: folder(of: path))
    }

    /// Reads the ONNX model in `buffer`; errors are attributed to `source`. External data is resolved inside
    /// `externalDataFolder`, and refused when it is nil.
    public static func read(buffer: ByteBuffer, source: String, externalDataFolder: String?) throws -> ONNXModel {
        do {
            return try ONNXParser(buffer: buffer, externalDataFolder: externalDataFolder).model(source: source)
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
    }

    /// The model's initializers as a `TensorArchive` (format "onnx") carrying the model itself in `onnx`.
    ///
    /// Initializers of types nnview does not read are left out of `tensors` and listed in the metadata
    /// (`onnx.unread_initializers`); `ONNXTensor.record` names their type when asked. An `Identity` node that copies an
    /// initializer to a new parameter-like name (torch.onnx writes tied weights this way) adds that name as an alias
    /// of the initializer; initializers whose external data is the same bytes of the same file are tied as well.
    public static func archive(of model: ONNXModel) -> TensorArchive {
        var records: [TensorRecord] = []
        var unread: [String] = []
        var recordIndex: [String: Int] = [:]
        for tensor in model.graph.initializers {
            guard let record = try? tensor.record() else {
                unread.append("\(tensor.name) (\(tensor.dataType.name))")
                continue
            }
            recordIndex[tensor.name] = records.count
            records.append(record)
        }
        var aliases: [String: String] = [:]
        for (alias, original) in identityAliases(model.graph) {
            guard let index = recordIndex[original], recordIndex[alias] == nil, aliases[alias] == nil else { continue }
            var record = records[index]
            record.name = alias
            records.append(record)
            aliases[alias] = original
        }
        var metadata: [(key: String, value: String)] = [
            ("onnx.ir_version", String(model.irVersion)),
            ("onnx.producer", [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")),
            ("onnx.opset_import", model.opsetImports.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version)" }
                .joined(separator: ", ")),
        ].filter { !$0.value.isEmpty }
        if !unread.isEmpty { metadata.append(("onnx.unread_initializers", unread.joined(separator: ", "))) }
        metadata += model.metadata
        var archive = TensorArchive(tensors: records, metadata: metadata, source: model.source, format: "onnx",
                                    aliases: aliases)
        archive.onnx = model
        return archive
    }

    /// `Identity` nodes from an initializer to a name that is not a graph output and looks like a parameter (no
    /// `::` or `/`, as torch.onnx's generated value names have): alias → initializer, in node order.
    static func identityAliases(_ graph: ONNXGraph) -> [(String, String)] {
        let initializers = Set(graph.initializers.map(\.name))
        let outputs = Set(graph.outputs.map(\.name))
        return graph.nodes.compactMap { node in
            guard node.qualifiedOpType == "Identity", node.inputs.count == 1, node.outputs.count == 1,
                  initializers.contains(node.inputs[0]) else { return nil }
            let alias = node.outputs[0]
            guard !alias.isEmpty, !initializers.contains(alias), !outputs.contains(alias),
                  !alias.contains("::"), !alias.contains("/") else { return nil }
            return (alias, node.inputs[0])
        }
    }

    /// The folder a file is in ("." for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
