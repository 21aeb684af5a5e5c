import ModelFiles
import NNCore

/// A value flowing through an interpreted ONNX graph: floating-point tensors are NNCore `Tensor`s (Float32, with
/// autograd), integer and boolean tensors are exact `IntegerTensor`s.
public enum ONNXValue: Sendable {
    case float(Tensor)
    case integer(IntegerTensor)

    /// The shape.
    public var shape: [Int] {
        switch self {
        case .float(let tensor): return tensor.shape
        case .integer(let tensor): return tensor.shape
        }
    }

    /// The ONNX element type: FLOAT for float tensors, the integer tensor's own type otherwise.
    public var dataType: ONNXDataType {
        switch self {
        case .float: return .float
        case .integer(let tensor): return tensor.dataType
        }
    }

    /// The value as a Float32 tensor (integers converted; a float tensor as it is, graph included).
    public var floatTensor: Tensor {
        switch self {
        case .float(let tensor): return tensor
        case .integer(let tensor):
            // The shape's product matches the values by construction.
            return (try? Tensor(tensor.values.map { Float($0) }, shape: tensor.shape)) ?? Tensor.zeros(tensor.shape)
        }
    }

    /// A value read from a file's tensor record: integer and boolean types exactly, floating types as Float32.
    public init(record: TensorRecord) throws {
        switch record.type {
        case .i64, .i32, .i16, .i8, .u8, .u16, .u32, .u64, .bool:
            self = .integer(try IntegerTensor(record: record))
        default:
            self = .float(try record.makeTensor())
        }
    }
}

extension IntegerTensor {
    /// The record's elements as exact integers (any strides; sizes checked before anything is allocated).
    public init(record: TensorRecord) throws {
        let count = try TensorLimits.checkedElementCount(record.shape, limit: TensorLimits.maxElements, what: record.name)
        let (firstByte, width) = try record.checkedLayout()
        let bytes = record.storage.bytes
        var values = [Int](repeating: 0, count: count)
        let byteStrides = record.strides.map { $0 * width }
        BroadcastIndexing.forEachOffset(shape: record.shape, strides: byteStrides) { i, offset in
            let at = firstByte + offset
            switch record.type {
            case .i64: values[i] = Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            case .u64: values[i] = Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            case .i32: values[i] = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            case .u32: values[i] = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            case .i16: values[i] = Int(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int16.self)))
            case .u16: values[i] = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            case .i8: values[i] = Int(Int8(bitPattern: bytes[at]))
            case .bool: values[i] = bytes[at] == 0 ? 0 : 1
            default: values[i] = Int(bytes[at])
            }
        }
        let type: ONNXDataType
        switch record.type {
        case .i32: type = .int32
        case .i16: type = .int16
        case .i8: type = .int8
        case .u8: type = .uint8
        case .bool: type = .bool
        default: type = .int64
        }
        self.init(shape: record.shape, values: values, dataType: type)
    }
}

/// What a run saw of one value: its shape and element type, without its elements.
public struct ONNXValueShape: Equatable, Sendable {
    /// The shape.
    public var shape: [Int]
    /// FLOAT for float tensors, the integer tensor's own type otherwise.
    public var dataType: ONNXDataType

    public init(shape: [Int], dataType: ONNXDataType) {
        self.shape = shape
        self.dataType = dataType
    }

    /// The shape and type of `value`.
    public init(_ value: ONNXValue) {
        self.init(shape: value.shape, dataType: value.dataType)
    }
}
