/// An ONNX `TensorProto.DataType` (onnx.proto): the number stored in a file, its ONNX name, and the `ElementType`
/// nnview reads it as. Types nnview does not read keep their number and name, so a graph that uses them still
/// opens and only the tensors themselves are refused, by name, when their values are asked for.
public struct ONNXDataType: Hashable, Sendable, CustomStringConvertible {
    /// The `TensorProto.DataType` number.
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// ONNX's names in enum order (0 … 28).
    static let names = [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
        "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
        "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2", "FLOAT6E2M3",
        "FLOAT6E3M2",
    ]

    /// `FLOAT`, `BFLOAT16`, … or `DATA_TYPE_99` for a number ONNX does not define.
    public var name: String {
        Self.names.indices.contains(rawValue) ? Self.names[rawValue] : "DATA_TYPE_\(rawValue)"
    }

    public var description: String { name }

    /// The element type for the types nnview reads: float, float16, bfloat16, double, int8, uint8, int16, int32,
    /// int64 and bool. Nil for every other type.
    public var elementType: ElementType? {
        switch rawValue {
        case 1: return .f32
        case 2: return .u8
        case 3: return .i8
        case 5: return .i16
        case 6: return .i32
        case 7: return .i64
        case 9: return .bool
        case 10: return .f16
        case 11: return .f64
        case 16: return .bf16
        default: return nil
        }
    }

    /// The names of the types nnview reads, for messages.
    static let readableNames = "FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8, UINT8, INT16, INT32, INT64, BOOL"
}
