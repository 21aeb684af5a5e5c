/// Turns the protobuf messages of an ONNX file (onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto,
/// ValueInfoProto, TypeProto, OperatorSetIdProto) into `ONNXModel`. Fields it does not use are skipped, packed and
/// unpacked repeated fields are both accepted, and every count is charged against `ONNXLimits`.
///
/// Tensors (`TensorProto`) are read in ONNXParser+Tensor.swift.
final class ONNXParser {
    /// The mapped file.
    let buffer: ByteBuffer
    /// The folder external data is resolved in; nil refuses external data.
    let externalDataFolder: String?
    /// External data files mapped so far, by location.
    var externalFiles: [String: ByteBuffer] = [:]
    /// Nodes, attributes, values, tensors and dimensions described so far (see `ONNXLimits.maxItems`).
    private var items = 0

    init(buffer: ByteBuffer, externalDataFolder: String?) {
        self.buffer = buffer
        self.externalDataFolder = externalDataFolder
    }

    var bytes: UnsafeRawBufferPointer { buffer.bytes }

    /// Charges `count` items against the limit.
    func charge(_ count: Int = 1) throws {
        items += count
        guard items <= ONNXLimits.maxItems else {
            throw ModelFileError("the model describes more than \(ONNXLimits.maxItems) nodes, values, attributes and "
                + "dimensions (nnview's limit)")
        }
    }

    /// The whole file as a `ModelProto`.
    func model(source: String) throws -> ONNXModel {
        var reader = ProtobufReader(bytes: bytes, range: 0 ..< bytes.count)
        var model = ONNXModel(irVersion: 0, producerName: "", producerVersion: "", domain: "", modelVersion: 0,
                              docString: "", opsetImports: [], metadata: [], graph: Self.emptyGraph,
                              functionNames: [], source: source)
        var sawGraph = false
        while let (number, wire) = try reader.nextField(in: "ModelProto") {
            switch number {
            case 1: model.irVersion = try int(&reader, wire, "ir_version")
            case 2: model.producerName = try string(&reader, wire, "producer_name")
            case 3: model.producerVersion = try string(&reader, wire, "producer_version")
            case 4: model.domain = try string(&reader, wire, "domain")
            case 5: model.modelVersion = try int(&reader, wire, "model_version")
            case 6: model.docString = try string(&reader, wire, "doc_string")
            case 7:
                try ProtobufReader.expect(wire, .lengthDelimited, "graph")
                guard !sawGraph else { throw ModelFileError("the model has more than one main graph") }
                var graphReader = try reader.nested("graph")
                model.graph = try graph(&graphReader, depth: 0)
                sawGraph = true
            case 8: model.opsetImports.append(try opsetImport(&reader, wire))
            case 14: model.metadata.append(try stringPair(&reader, wire, "metadata_props"))
            case 25: model.functionNames.append(try functionName(&reader, wire))
            default: try reader.skip(wire, "ModelProto field \(number)")
            }
        }
        guard sawGraph else { throw ModelFileError("the ONNX model has no graph") }
        return model
    }

    static let emptyGraph = ONNXGraph(name: "", nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [])

    /// A `GraphProto`; `depth` counts the sub-graphs it is nested in.
    func graph(_ reader: inout ProtobufReader, depth: Int) throws -> ONNXGraph {
        guard depth <= ONNXLimits.maxGraphDepth else {
            throw ModelFileError("sub-graphs nest more than \(ONNXLimits.maxGraphDepth) levels deep")
        }
        var graph = Self.emptyGraph
        var initializerNames = Set<String>()
        while let (number, wire) = try reader.nextField(in: "GraphProto") {
            switch number {
            case 1:
                try ProtobufReader.expect(wire, .lengthDelimited, "node")
                var nodeReader = try reader.nested("node")
                graph.nodes.append(try node(&nodeReader, depth: depth, index: graph.nodes.count))
            case 2: graph.name = try string(&reader, wire, "graph name")
            case 5:
                try ProtobufReader.expect(wire, .lengthDelimited, "initializer")
                var tensorReader = try reader.nested("initializer")
                let tensor = try self.tensor(&tensorReader, what: "initializer #\(graph.initializers.count)")
                guard initializerNames.insert(tensor.name).inserted else {
                    throw ModelFileError("initializer \"\(tensor.name)\" appears twice")
                }
                graph.initializers.append(tensor)
            case 11: graph.inputs.append(try valueInfo(&reader, wire, "graph input"))
            case 12: graph.outputs.append(try valueInfo(&reader, wire, "graph output"))
            case 13: graph.valueInfo.append(try valueInfo(&reader, wire, "value_info"))
            default: try reader.skip(wire, "GraphProto field \(number)")
            }
        }
        return graph
    }

    /// A `NodeProto`.
    func node(_ reader: inout ProtobufReader, depth: Int, index: Int) throws -> ONNXNode {
        try charge()
        var node = ONNXNode(name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [])
        while let (number, wire) = try reader.nextField(in: "node #\(index)") {
            switch number {
            case 1: try charge(); node.inputs.append(try string(&reader, wire, "input of node #\(index)"))
            case 2: try charge(); node.outputs.append(try string(&reader, wire, "output of node #\(index)"))
            case 3: node.name = try string(&reader, wire, "name of node #\(index)")
            case 4: node.opType = try string(&reader, wire, "op_type of node #\(index)")
            case 7: node.domain = try string(&reader, wire, "domain of node #\(index)")
            case 5:
                try ProtobufReader.expect(wire, .lengthDelimited, "attribute of node #\(index)")
                var attributeReader = try reader.nested("attribute of node #\(index)")
                node.attributes.append(try attribute(&attributeReader, depth: depth, node: node.name.isEmpty ? "#\(index)" : node.name))
            default: try reader.skip(wire, "NodeProto field \(number)")
            }
        }
        guard !node.opType.isEmpty else {
            throw ModelFileError("node \(node.name.isEmpty ? "#\(index)" : "\"\(node.name)\"") has no op_type")
        }
        return node
    }

    /// An `AttributeProto`. The value is taken from the field `type` names; files older than `type` (IR version 1)
    /// are read by which value field is present.
    func attribute(_ reader: inout ProtobufReader, depth: Int, node: String) throws -> ONNXAttribute {
        try charge()
        var name = ""
        var referenced = ""
        var type: Int?
        var values: [Int: ONNXAttribute.Value] = [:]
        var floats: [Float] = [], ints: [Int] = [], strings: [String] = []
        var tensors: [ONNXTensor] = [], graphs: [ONNXGraph] = []
        var listFields = Set<Int>()
        let what = "attribute of node \(node)"
        while let (number, wire) = try reader.nextField(in: what) {
            switch number {
            case 1: name = try string(&reader, wire, what)
            case 21: referenced = try string(&reader, wire, what)
            case 20: type = try int(&reader, wire, "type of \(what)")
            case 2:
                try ProtobufReader.expect(wire, .fixed32, "f of \(what)")
                values[1] = .float(Float(bitPattern: try reader.fixed32(what)))
            case 3: values[2] = .int(try int(&reader, wire, "i of \(what)"))
            case 4: values[3] = .string(try string(&reader, wire, "s of \(what)"))
            case 5:
                try ProtobufReader.expect(wire, .lengthDelimited, "t of \(what)")
                var tensorReader = try reader.nested(what)
                values[4] = .tensor(try tensor(&tensorReader, what: "tensor of \(what) \(name)"))
            case 6:
                try ProtobufReader.expect(wire, .lengthDelimited, "g of \(what)")
                var graphReader = try reader.nested(what)
                values[5] = .graph(try graph(&graphReader, depth: depth + 1))
            case 7:
                listFields.insert(6)
                try reader.forEachScalar(wire: wire, element: .fixed32, "floats of \(what)") {
                    try charge()
                    floats.append(Float(bitPattern: UInt32(truncatingIfNeeded: $0)))
                }
            case 8:
                listFields.insert(7)
                try reader.forEachScalar(wire: wire, element: .varint, "ints of \(what)") {
                    try charge()
                    ints.append(Int(Int64(bitPattern: $0)))
                }
            case 9: listFields.insert(8); try charge(); strings.append(try string(&reader, wire, "strings of \(what)"))
            case 10:
                listFields.insert(9)
                try ProtobufReader.expect(wire, .lengthDelimited, "tensors of \(what)")
                var tensorReader = try reader.nested(what)
                tensors.append(try tensor(&tensorReader, what: "tensor of \(what) \(name)"))
            case 11:
                listFields.insert(10)
                try ProtobufReader.expect(wire, .lengthDelimited, "graphs of \(what)")
                var graphReader = try reader.nested(what)
                graphs.append(try graph(&graphReader, depth: depth + 1))
            case 22: values[11] = .other("sparse tensor"); try reader.skip(wire, what)
            case 14: values[13] = .other("type proto"); try reader.skip(wire, what)
            case 23: listFields.insert(12); try reader.skip(wire, what)
            case 15: listFields.insert(14); try reader.skip(wire, what)
            default: try reader.skip(wire, "AttributeProto field \(number)")
            }
        }
        func list(_ kind: Int) -> ONNXAttribute.Value {
            switch kind {
            case 6: return .floats(floats)
            case 7: return .ints(ints)
            case 8: return .strings(strings)
            case 9: return .tensors(tensors)
            case 10: return .graphs(graphs)
            case 12: return .other("sparse tensors")
            default: return .other("type protos")
            }
        }
        let value: ONNXAttribute.Value
        if let type {
            if let single = values[type] { value = single }
            else if (6 ... 14).contains(type), type != 11, type != 13 { value = list(type) }
            else if type == 0 { value = .other("undefined") }
            else if [1, 2, 3, 4, 5, 11, 13].contains(type) {
                throw ModelFileError("attribute \"\(name)\" of node \(node) has type \(type) but no value")
            } else {
                throw ModelFileError("attribute \"\(name)\" of node \(node) has unknown type \(type)")
            }
        } else if let (_, single) = values.min(by: { $0.key < $1.key }) {
            value = single
        } else if let kind = listFields.min() {
            value = list(kind)
        } else {
            // An empty list: protobuf cannot tell which kind without `type`.
            value = .ints([])
        }
        return ONNXAttribute(name: name, value: value, referencedName: referenced)
    }

    /// A `ValueInfoProto` field.
    func valueInfo(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType, _ what: String) throws -> ONNXValueInfo {
        try charge()
        try ProtobufReader.expect(wire, .lengthDelimited, what)
        var message = try reader.nested(what)
        var info = ONNXValueInfo(name: "", kind: .unknown, shape: nil)
        while let (number, fieldWire) = try message.nextField(in: what) {
            switch number {
            case 1: info.name = try string(&message, fieldWire, "name of \(what)")
            case 2:
                try ProtobufReader.expect(fieldWire, .lengthDelimited, "type of \(what)")
                var typeReader = try message.nested("type of \(what)")
                (info.kind, info.shape) = try type(&typeReader, what: "\(what) \"\(info.name)\"")
            default: try message.skip(fieldWire, "ValueInfoProto field \(number)")
            }
        }
        return info
    }

    /// A `TypeProto`: tensors are typed with their shape; other kinds are named, not read further (so no nesting).
    func type(_ reader: inout ProtobufReader, what: String) throws -> (ONNXValueInfo.Kind, [ONNXDimension]?) {
        var kind = ONNXValueInfo.Kind.unknown
        var shape: [ONNXDimension]?
        let otherKinds = [4: "sequence", 5: "map", 7: "opaque", 8: "sparse tensor", 9: "optional"]
        while let (number, wire) = try reader.nextField(in: "type of \(what)") {
            if number == 1 {
                try ProtobufReader.expect(wire, .lengthDelimited, "tensor type of \(what)")
                var tensorType = try reader.nested("tensor type of \(what)")
                kind = .tensor(ONNXDataType(rawValue: 0))
                while let (field, fieldWire) = try tensorType.nextField(in: "tensor type of \(what)") {
                    switch field {
                    case 1: kind = .tensor(ONNXDataType(rawValue: try int(&tensorType, fieldWire, "elem_type of \(what)")))
                    case 2:
                        try ProtobufReader.expect(fieldWire, .lengthDelimited, "shape of \(what)")
                        var shapeReader = try tensorType.nested("shape of \(what)")
                        shape = try self.shape(&shapeReader, what: what)
                    default: try tensorType.skip(fieldWire, "TypeProto.Tensor field \(field)")
                    }
                }
            } else if let other = otherKinds[number] {
                kind = .other(other)
                try reader.skip(wire, "type of \(what)")
            } else {
                try reader.skip(wire, "TypeProto field \(number)")
            }
        }
        return (kind, shape)
    }

    /// A `TensorShapeProto`.
    func shape(_ reader: inout ProtobufReader, what: String) throws -> [ONNXDimension] {
        var dims: [ONNXDimension] = []
        while let (number, wire) = try reader.nextField(in: "shape of \(what)") {
            guard number == 1 else { try reader.skip(wire, "TensorShapeProto field \(number)"); continue }
            try charge()
            guard dims.count < ONNXLimits.maxRank else {
                throw ModelFileError("\(what) has more than \(ONNXLimits.maxRank) dimensions")
            }
            try ProtobufReader.expect(wire, .lengthDelimited, "dimension of \(what)")
            var dimension = try reader.nested("dimension of \(what)")
            var value = ONNXDimension.unknown
            while let (field, fieldWire) = try dimension.nextField(in: "dimension of \(what)") {
                switch field {
                case 1:
                    let size = try int(&dimension, fieldWire, "dim_value of \(what)")
                    value = size >= 0 ? .value(size) : .unknown
                case 2: value = .symbol(try string(&dimension, fieldWire, "dim_param of \(what)"))
                default: try dimension.skip(fieldWire, "Dimension field \(field)")
                }
            }
            dims.append(value)
        }
        return dims
    }

    /// An `OperatorSetIdProto` field.
    func opsetImport(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType) throws -> ONNXOpsetImport {
        try charge()
        try ProtobufReader.expect(wire, .lengthDelimited, "opset_import")
        var message = try reader.nested("opset_import")
        var opset = ONNXOpsetImport(domain: "", version: 0)
        while let (number, fieldWire) = try message.nextField(in: "opset_import") {
            switch number {
            case 1: opset.domain = try string(&message, fieldWire, "opset_import domain")
            case 2: opset.version = try int(&message, fieldWire, "opset_import version")
            default: try message.skip(fieldWire, "OperatorSetIdProto field \(number)")
            }
        }
        return opset
    }

    /// A `StringStringEntryProto` field.
    func stringPair(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType, _ what: String) throws -> (key: String, value: String) {
        try charge()
        try ProtobufReader.expect(wire, .lengthDelimited, what)
        var message = try reader.nested(what)
        var pair = (key: "", value: "")
        while let (number, fieldWire) = try message.nextField(in: what) {
            switch number {
            case 1: pair.key = try string(&message, fieldWire, "key of \(what)")
            case 2: pair.value = try string(&message, fieldWire, "value of \(what)")
            default: try message.skip(fieldWire, "StringStringEntryProto field \(number)")
            }
        }
        return pair
    }

    /// The `name` of a `FunctionProto` field (the body is not read).
    func functionName(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType) throws -> String {
        try charge()
        try ProtobufReader.expect(wire, .lengthDelimited, "function")
        var message = try reader.nested("function")
        var name = ""
        while let (number, fieldWire) = try message.nextField(in: "function") {
            if number == 1 { name = try string(&message, fieldWire, "function name") }
            else { try message.skip(fieldWire, "FunctionProto field \(number)") }
        }
        return name
    }

    /// A length-delimited field as text, after checking its wire type.
    func string(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType, _ what: String) throws -> String {
        try ProtobufReader.expect(wire, .lengthDelimited, what)
        return try reader.string(what)
    }

    /// A varint field as `Int` (int64 in the schema).
    func int(_ reader: inout ProtobufReader, _ wire: ProtobufReader.WireType, _ what: String) throws -> Int {
        try ProtobufReader.expect(wire, .varint, what)
        return Int(try reader.int64(what))
    }
}
