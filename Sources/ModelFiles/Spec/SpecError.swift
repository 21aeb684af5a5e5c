/// A problem in a .nn spec file, reported as `file:line:column: what was expected`.
public struct SpecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The spec file's path as given by the user (`"<string>"` for specs parsed from memory).
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem.
    public var column: Int
    /// What is wrong, without the position.
    public var message: String

    /// An error at `location` in `file`.
    public init(_ message: String, at location: SpecLocation, file: String) {
        self.file = file
        self.line = location.line
        self.column = location.column
        self.message = message
    }

    /// Where the problem is.
    public var location: SpecLocation { SpecLocation(line: line, column: column) }

    /// `file:line:column: message`, the form compilers use so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
