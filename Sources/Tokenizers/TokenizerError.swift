/// A tokenizer file that cannot be used, or a tokenizer built from inconsistent parts: one line naming the file, the
/// field and the problem (`tokenizer.json: model.merges[12]: "a b" names "b", which is not in the vocabulary`).
public struct TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's name (or a description of the source, such as `GGUF metadata`).
    public let file: String
    /// Where in the file: a JSON path (`model.vocab`), a line (`line 7`), or empty for the whole file.
    public let field: String
    /// What is wrong.
    public let problem: String

    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(file): \(problem)" : "\(file): \(field): \(problem)"
    }
}
