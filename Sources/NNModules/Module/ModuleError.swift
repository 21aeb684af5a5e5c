/// An error from the module system: a layer fed the wrong shape, a lazy parameter read too early, a bad index,
/// an argument that does not fit a layer. The message names the module and what is wrong.
public struct ModuleError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What kind of mistake this is, so callers can react without parsing the message.
    public enum Kind: Equatable, Sendable {
        /// A lazy parameter was read before its shape was known.
        case uninitialisedParameter
        /// An input or a value has a shape the module cannot accept.
        case shapeMismatch
        /// An index or a name does not exist in a container.
        case notFound
        /// An argument to a constructor or a function is wrong.
        case invalidArgument
    }

    /// What kind of mistake this is.
    public let kind: Kind
    /// One line naming the module or function and what is wrong.
    public let message: String

    /// Creates an error of `kind` with a one-line message.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
