import ModelFiles

/// An integer or boolean tensor inside the ONNX interpreter: shapes, token ids, indices and masks, kept as exact
/// `Int`s (a Float32 tensor is exact only below 2²⁴). Row-major; no autograd — nothing differentiable flows
/// through integers.
public struct IntegerTensor: Sendable, Equatable {
    /// Size of each dimension, outermost first; `[]` for a scalar.
    public var shape: [Int]
    /// The elements in row-major order.
    public var values: [Int]
    /// The ONNX element type (INT64, INT32, BOOL, UINT8, …), kept so `Cast` and outputs say what the graph meant.
    public var dataType: ONNXDataType

    /// A tensor of `shape` holding `values` (their count must be the shape's product).
    public init(shape: [Int], values: [Int], dataType: ONNXDataType = .int64) {
        precondition(values.count == shape.reduce(1, *), "IntegerTensor: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = values
        self.dataType = dataType
    }

    /// A rank-0 tensor.
    public static func scalar(_ value: Int, dataType: ONNXDataType = .int64) -> IntegerTensor {
        IntegerTensor(shape: [], values: [value], dataType: dataType)
    }

    /// A rank-1 tensor.
    public static func vector(_ values: [Int], dataType: ONNXDataType = .int64) -> IntegerTensor {
        IntegerTensor(shape: [values.count], values: values, dataType: dataType)
    }

    /// Number of elements.
    public var count: Int { values.count }

    /// The values repeated along broadcast dimensions to fill `target` (which `shape` must broadcast to).
    func broadcastValues(to target: [Int]) -> [Int] {
        if shape == target { return values }
        let strides = BroadcastIndexing.strides(of: shape, in: target)
        var result = [Int](repeating: 0, count: target.reduce(1, *))
        BroadcastIndexing.forEachOffset(shape: target, strides: strides) { i, offset in result[i] = values[offset] }
        return result
    }
}

/// The ONNX types the interpreter names.
extension ONNXDataType {
    public static let float = ONNXDataType(rawValue: 1)
    public static let uint8 = ONNXDataType(rawValue: 2)
    public static let int8 = ONNXDataType(rawValue: 3)
    public static let int16 = ONNXDataType(rawValue: 5)
    public static let int32 = ONNXDataType(rawValue: 6)
    public static let int64 = ONNXDataType(rawValue: 7)
    public static let bool = ONNXDataType(rawValue: 9)
    public static let float16 = ONNXDataType(rawValue: 10)
    public static let double = ONNXDataType(rawValue: 11)
    public static let bfloat16 = ONNXDataType(rawValue: 16)

    /// Whether values of this type are floating point (carried as Float32 tensors by the interpreter).
    public var isFloatingPoint: Bool { [1, 10, 11, 16].contains(rawValue) }

    /// Whether the interpreter carries values of this type as `IntegerTensor`s.
    public var isInteger: Bool { [2, 3, 4, 5, 6, 7, 9, 12, 13].contains(rawValue) }
}

/// Row-major offsets of broadcast operands, shared by the integer kernels.
enum BroadcastIndexing {
    /// The shape `a` and `b` broadcast to (numpy rules), or nil when they do not.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0 ..< rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// Strides (in elements) of a row-major tensor of `shape` read as `target`: 0 along broadcast dimensions.
    static func strides(of shape: [Int], in target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let t = i + target.count - shape.count
            strides[t] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// Calls `body(flatIndex, offset)` for every element of `shape` in row-major order.
    static func forEachOffset(shape: [Int], strides: [Int], _ body: (Int, Int) -> Void) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for flat in 0 ..< count {
            body(flat, offset)
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                offset += strides[d]
                if index[d] < shape[d] { break }
                offset -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Row-major strides of `shape`.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = step
            step *= shape[i]
        }
        return strides
    }
}
