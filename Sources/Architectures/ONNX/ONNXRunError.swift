/// Why an ONNX graph could not run: one line naming the op, the node and what went wrong.
public struct ONNXRunError: Error, CustomStringConvertible, Sendable {
    /// The message, e.g. `unsupported ONNX op "Loop" (node "/Loop_3", opset 18)`.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
