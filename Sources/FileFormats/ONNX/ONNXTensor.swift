/// One ONNX tensor (an initializer, or a tensor attribute such as a `Constant` node's value), described but not
/// read: its type, shape, and where its bytes are.
///
/// `raw_data` and external data point into mapped files; the typed fields (`float_data`, `int32_data`, …) were
/// converted once, when the file was read, into owned little-endian storage of the tensor's own element type.
public struct ONNXTensor: Sendable {
    /// The tensor's name (an initializer's value name; empty for most attribute tensors).
    public var name: String
    /// The ONNX data type.
    public var dataType: ONNXDataType
    /// The shape, outermost first (`dims`).
    public var dims: [Int]
    /// Where the elements are: nil when the data type is one nnview does not read.
    public var storage: StorageReference?
    /// For external data, the file (relative to the model's folder) the bytes are in.
    public var externalLocation: String?

    /// Number of elements (the product of `dims`; the reader checked it does not overflow).
    public var elementCount: Int { dims.reduce(1, *) }

    /// The tensor as a record of the rest of nnview, under `name` (or the tensor's own name); throws naming the
    /// tensor and its type when nnview does not read that type.
    public func record(named recordName: String? = nil) throws -> TensorRecord {
        guard let type = dataType.elementType, let storage else {
            throw ModelFileError("tensor \"\(recordName ?? name)\" has ONNX type \(dataType.name), which nnview does not "
                + "read (it reads \(ONNXDataType.readableNames))")
        }
        return TensorRecord(name: recordName ?? name, type: type, shape: dims, storage: storage)
    }
}
