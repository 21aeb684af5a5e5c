/// An `AttributeProto`: a node's named constant parameter (`axis`, `perm`, a `Constant` node's `value`).
public struct ONNXAttribute: Sendable {
    /// The attribute's value, by `AttributeProto.type`.
    public indirect enum Value: Sendable {
        case float(Float)
        case int(Int)
        case string(String)
        case tensor(ONNXTensor)
        /// A sub-graph (`If`, `Loop`, `Scan` bodies), read with the same limits as the main graph.
        case graph(ONNXGraph)
        case floats([Float])
        case ints([Int])
        case strings([String])
        case tensors([ONNXTensor])
        case graphs([ONNXGraph])
        /// A kind nnview keeps only by name (sparse tensors, type protos, undefined).
        case other(String)
    }

    /// `name`.
    public var name: String
    /// The value.
    public var value: Value
    /// `ref_attr_name`: inside a function body, the attribute of the caller this one refers to ("" if none).
    public var referencedName: String

    /// The value as an integer, for `int` attributes.
    public var int: Int? {
        if case .int(let value) = value { return value }
        return nil
    }

    /// The value as a float, for `float` attributes.
    public var float: Float? {
        if case .float(let value) = value { return value }
        return nil
    }

    /// The value as integers, for `ints` attributes.
    public var ints: [Int]? {
        if case .ints(let value) = value { return value }
        return nil
    }

    /// The value as text, for `string` attributes.
    public var string: String? {
        if case .string(let value) = value { return value }
        return nil
    }

    /// The value as a tensor, for `tensor` attributes.
    public var tensor: ONNXTensor? {
        if case .tensor(let value) = value { return value }
        return nil
    }
}
