/// A problem with an image file: which file and what is wrong, in one line (`photo.png: truncated PNG (the file
/// ends early)`).
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the problem is in, as it was given.
    public var file: String
    /// What is wrong, without the file name.
    public var message: String

    public init(_ message: String, file: String) {
        self.message = message
        self.file = file
    }

    public var description: String { "\(file): \(message)" }
}
