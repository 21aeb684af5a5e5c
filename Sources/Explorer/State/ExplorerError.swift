/// A command that could not be done, with a one-line message for the status line.
public struct ExplorerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message, as the status line shows it.
    public var description: String { message }
}
