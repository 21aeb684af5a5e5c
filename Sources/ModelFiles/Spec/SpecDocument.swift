/// One `NAME = EXPRESSION` line of a .nn file.
public struct SpecStatement: Equatable, Sendable {
    /// The name being defined.
    public var name: String
    /// Where the name is written (the start of the statement).
    public var location: SpecLocation
    /// The value.
    public var value: SpecExpression

    /// A statement defining `name` at `location`.
    public init(name: String, location: SpecLocation, value: SpecExpression) {
        self.name = name
        self.location = location
        self.value = value
    }
}

/// A parsed .nn file: its statements in order, each name defined once and used only after its definition.
public struct SpecDocument: Equatable, Sendable {
    /// The file name used in error messages.
    public var file: String
    /// The statements in source order.
    public var statements: [SpecStatement]

    /// A document of `statements` from `file`.
    public init(file: String, statements: [SpecStatement]) {
        self.file = file
        self.statements = statements
    }

    /// The statement defining `name`, if any.
    public func statement(named name: String) -> SpecStatement? {
        statements.first { $0.name == name }
    }

    /// The names this document gives a special meaning.
    public enum ReservedName {
        /// The model.
        public static let model = "model"
        /// The default input batch.
        public static let input = "input"
        /// The target for the loss.
        public static let target = "target"
        /// The loss function's name.
        public static let loss = "loss"
        /// The random seed.
        public static let seed = "seed"
        /// The learning rate.
        public static let learningRate = "lr"
    }
}
