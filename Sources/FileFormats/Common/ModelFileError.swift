/// A problem with an input file: which file and what is wrong, in one line.
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or folder) the problem is in; empty when not known.
    public var file: String
    /// What is wrong, without the file name.
    public var message: String

    public init(_ message: String, file: String = "") {
        self.message = message
        self.file = file
    }

    /// The same error attributed to `file` (keeps an existing attribution).
    public func inFile(_ file: String) -> ModelFileError {
        self.file.isEmpty ? ModelFileError(message, file: file) : self
    }

    public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}
