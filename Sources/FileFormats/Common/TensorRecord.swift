/// One named tensor in a file, described but not read: where its bytes are and how to interpret them.
///
/// Records from every format look the same, so the rest of nnview (tree, heatmaps, binding to a model)
/// never needs to know which format a tensor came from.
public struct TensorRecord: Sendable {
    /// The tensor's name in the file (`"0.weight"`).
    public var name: String
    /// How elements are stored.
    public var type: ElementType
    /// Shape, outermost first (PyTorch/NumPy order).
    public var shape: [Int]
    /// Strides in elements, outermost first (row-major for most formats; PyTorch views may differ).
    public var strides: [Int]
    /// Offset of element [0, 0, …] from the start of the storage, in elements.
    public var elementOffset: Int
    /// The storage the elements live in.
    public var storage: StorageReference

    public init(name: String, type: ElementType, shape: [Int], strides: [Int]? = nil, elementOffset: Int = 0,
                storage: StorageReference) {
        self.name = name
        self.type = type
        self.shape = shape
        self.strides = strides ?? TensorRecord.rowMajorStrides(shape)
        self.elementOffset = elementOffset
        self.storage = storage
    }

    /// Number of elements (product of the shape). Readers check shapes against the bytes present; a hand-made or
    /// zero-stride record whose product overflows reports `Int.max` instead of trapping.
    public var elementCount: Int {
        if shape.contains(0) { return 0 }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { return Int.max }
            count = product
        }
        return count
    }

    /// Row-major strides for `shape`.
    public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            // Saturates: an empty tensor may claim sizes whose product overflows ([2^40, 2^40, 0] holds nothing,
            // so its strides are never used to address anything).
            let (next, overflow) = step.multipliedReportingOverflow(by: max(shape[axis], 1))
            step = overflow ? Int.max : next
        }
        return strides
    }
}

/// A run of bytes inside a `ByteBuffer`, with a key naming the storage it came from.
///
/// Two records whose storages have the same `key` share memory in the file (PyTorch tied weights, safetensors
/// aliases): nnview shows them as one tensor with several names.
public struct StorageReference: Sendable {
    public var buffer: ByteBuffer
    /// First byte of the storage inside `buffer`.
    public var byteOffset: Int
    /// Length of the storage in bytes.
    public var byteCount: Int
    /// Identity of the storage within its file (`"data/0"`, a safetensors name, …).
    public var key: String

    public init(buffer: ByteBuffer, byteOffset: Int, byteCount: Int, key: String) {
        self.buffer = buffer
        self.byteOffset = byteOffset
        self.byteCount = byteCount
        self.key = key
    }

    /// The storage's bytes (valid while `buffer` lives).
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer.bytes[byteOffset ..< byteOffset + byteCount])
    }
}

/// Everything read from one weights file or folder: tensors in file order, metadata, and which names are aliases.
public struct TensorArchive: Sendable {
    /// Tensors in the order the file lists them (aliases after the tensors they share storage with).
    public var tensors: [TensorRecord]
    /// String metadata (safetensors `__metadata__`, GGUF key-values, config.json), in file order.
    public var metadata: [(key: String, value: String)]
    /// Where it came from, for messages.
    public var source: String
    /// Which format it was read as ("safetensors", "pytorch-zip", …).
    public var format: String
    /// Names that are a second name for another tensor of the archive (alias → the name it shares storage with),
    /// e.g. safetensors `save_model` ties. The alias also appears in `tensors`, with the same storage key.
    public var aliases: [String: String] = [:]
    /// For an ONNX file, the whole model (graph, nodes, value types, opsets) the tensors are the initializers of.
    public var onnx: ONNXModel?

    public init(tensors: [TensorRecord], metadata: [(key: String, value: String)] = [], source: String, format: String,
                aliases: [String: String] = [:]) {
        self.tensors = tensors
        self.aliases = aliases
        self.metadata = metadata
        self.source = source
        self.format = format
    }

    /// The tensor called `name`, if any.
    public func tensor(named name: String) -> TensorRecord? {
        tensors.first { $0.name == name }
    }

    /// The value of metadata `key`, if any.
    public func metadataValue(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }
}
