/// An ONNX model as read from a `ModelProto`: the header fields, the opsets it imports, and its main graph with
/// nodes, initializers and typed values. Tensors are described (`ONNXTensor`), not read.
///
/// This is plain data for the tree, the summary and an interpreter: nodes keep their op type, domain, inputs,
/// outputs and attributes in file order (ONNX requires that order to be topological).
public struct ONNXModel: Sendable {
    /// `ir_version`.
    public var irVersion: Int
    /// `producer_name` (`pytorch`) and `producer_version`.
    public var producerName: String
    public var producerVersion: String
    /// `domain` and `model_version` of the model itself.
    public var domain: String
    public var modelVersion: Int
    /// `doc_string`.
    public var docString: String
    /// The operator sets the graph's nodes refer to.
    public var opsetImports: [ONNXOpsetImport]
    /// `metadata_props`, in file order.
    public var metadata: [(key: String, value: String)]
    /// The main graph.
    public var graph: ONNXGraph
    /// Names of the model-local functions (`functions`), which nnview does not expand.
    public var functionNames: [String]
    /// The file it was read from.
    public var source: String

    /// The opset version of `domain` ("" and "ai.onnx" are both the default domain), nil if not imported.
    public func opsetVersion(domain: String = "") -> Int? {
        let wanted = domain == "ai.onnx" ? "" : domain
        return opsetImports.first { ($0.domain == "ai.onnx" ? "" : $0.domain) == wanted }?.version
    }
}

/// One `OperatorSetIdProto`: a domain ("" is the default ONNX domain) and its version.
public struct ONNXOpsetImport: Hashable, Sendable {
    public var domain: String
    public var version: Int

    public init(domain: String, version: Int) {
        self.domain = domain
        self.version = version
    }
}

/// A `GraphProto`: nodes in file (topological) order, initializers, and the typed values it declares.
public struct ONNXGraph: Sendable {
    /// `name`.
    public var name: String
    /// `node`, in file order.
    public var nodes: [ONNXNode]
    /// `initializer`, in file order.
    public var initializers: [ONNXTensor]
    /// `input`: with IR version < 4 this also lists initializers (their defaults); see `runtimeInputs`.
    public var inputs: [ONNXValueInfo]
    /// `output`.
    public var outputs: [ONNXValueInfo]
    /// `value_info`: types of intermediate values, where the producer recorded them.
    public var valueInfo: [ONNXValueInfo]

    /// The inputs a caller must feed: `inputs` without the names that have an initializer.
    public var runtimeInputs: [ONNXValueInfo] {
        let initialized = Set(initializers.map(\.name))
        return inputs.filter { !initialized.contains($0.name) }
    }

    /// What the graph says about every value it types: inputs, outputs, value_info, and initializers (whose type
    /// and shape are known exactly). The first declaration of a name wins.
    public var valueTypes: [String: ONNXValueInfo] {
        var types: [String: ONNXValueInfo] = [:]
        for tensor in initializers where types[tensor.name] == nil {
            types[tensor.name] = ONNXValueInfo(name: tensor.name, kind: .tensor(tensor.dataType),
                                               shape: tensor.dims.map { .value($0) })
        }
        for info in inputs + outputs + valueInfo where types[info.name] == nil { types[info.name] = info }
        return types
    }

    /// How many nodes use each op type (`"MatMul": 18`); the op type is prefixed by its domain outside the default
    /// domain (`com.microsoft.FusedMatMul`).
    public var opCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for node in nodes { counts[node.qualifiedOpType, default: 0] += 1 }
        return counts
    }
}

/// A `NodeProto`: one operator call.
public struct ONNXNode: Sendable {
    /// `name` (may be empty; torch.onnx writes scoped names such as `/bert/encoder/layer.0/attention/self/MatMul`).
    public var name: String
    /// `op_type` (`MatMul`).
    public var opType: String
    /// `domain` ("" for the default ONNX domain).
    public var domain: String
    /// Value names read, in order; "" marks an omitted optional input.
    public var inputs: [String]
    /// Value names written, in order; "" marks an omitted optional output.
    public var outputs: [String]
    /// `attribute`, in file order.
    public var attributes: [ONNXAttribute]

    /// The op type with its domain when that is not the default one.
    public var qualifiedOpType: String {
        domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain).\(opType)"
    }

    /// The attribute called `name`, if any.
    public func attribute(_ name: String) -> ONNXAttribute? {
        attributes.first { $0.name == name }
    }

    /// The scopes of the node's name (`/bert/encoder/layer.0/MatMul` → `["bert", "encoder", "layer.0"]`): the
    /// segments between slashes, without the last one. A name without a slash has no scope.
    public var scopes: [String] {
        let segments = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return Array(segments.dropLast())
    }

    /// The last segment of the name, or `op_type` for an unnamed node.
    public var leafName: String {
        name.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? opType
    }
}

/// A `ValueInfoProto`: a value's name, its type, and for tensors the shape as far as it is known.
public struct ONNXValueInfo: Sendable {
    /// What kind of value it is.
    public enum Kind: Hashable, Sendable {
        /// A tensor of this element type.
        case tensor(ONNXDataType)
        /// A sequence, map, optional, sparse tensor or opaque value (not typed further here); the name of its kind.
        case other(String)
        /// No type recorded.
        case unknown
    }

    /// The value's name.
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// The tensor's shape: nil when the rank is unknown.
    public var shape: [ONNXDimension]?

    public init(name: String, kind: Kind, shape: [ONNXDimension]?) {
        self.name = name
        self.kind = kind
        self.shape = shape
    }

    /// `FLOAT`, `sequence`, or `?`.
    public var typeName: String {
        switch kind {
        case .tensor(let type): return type.name
        case .other(let name): return name
        case .unknown: return "?"
        }
    }

    /// `[batch_size, 128]`, `[?, 3]`, or `?` for an unknown rank.
    public var shapeText: String {
        shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "?"
    }
}

/// One dimension of a value's shape: a number, a symbol shared by the values with the same size, or unknown.
public enum ONNXDimension: Hashable, Sendable, CustomStringConvertible {
    case value(Int)
    case symbol(String)
    case unknown

    public var description: String {
        switch self {
        case .value(let size): return String(size)
        case .symbol(let name): return name
        case .unknown: return "?"
        }
    }
}
