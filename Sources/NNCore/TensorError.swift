/// An error from a tensor operation: the op's name plus what was wrong, e.g.
/// `matmul: [2, 3] × [4, 5]: inner dimensions 3 and 4 differ`.
public struct TensorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The operation that failed (`matmul`, `add`, `reshape`, …).
    public let op: String
    /// What was wrong, usually naming the shapes involved.
    public let message: String

    /// Creates an error for `op` with a one-line `message`.
    public init(_ op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    /// `op: message`.
    public var description: String { "\(op): \(message)" }
}

/// Formats a shape the way error messages show it: `[2, 3]`.
@usableFromInline
func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
