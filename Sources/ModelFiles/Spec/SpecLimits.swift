/// Bounds no .nn file can exceed, so a hostile or mistyped spec fails fast with a clear message
/// instead of exhausting memory or the stack.
public struct SpecLimits: Sendable, Equatable {
    /// Largest accepted file, in bytes.
    public var maxFileBytes: Int
    /// Longest accepted line, in Unicode scalars.
    public var maxLineLength: Int
    /// Deepest nesting of calls and lists (`A(B(C()))` is depth 3); bounds the parser's recursion.
    public var maxNestingDepth: Int
    /// Most statements in one file.
    public var maxStatements: Int
    /// Most Float32 elements the spec may allocate in total: parameters, buffers, input and target.
    public var maxElements: Int

    /// Limits with the given values; the defaults suit hand-written specs of book-sized networks.
    public init(maxFileBytes: Int = 1 << 20, maxLineLength: Int = 1000, maxNestingDepth: Int = 64,
                maxStatements: Int = 10_000, maxElements: Int = 1 << 27) {
        self.maxFileBytes = maxFileBytes
        self.maxLineLength = maxLineLength
        self.maxNestingDepth = maxNestingDepth
        self.maxStatements = maxStatements
        self.maxElements = maxElements
    }

    /// The default limits (a 1 MiB file, 1000-column lines, depth 64, 10,000 statements, 2^27 elements = 512 MiB).
    public static let standard = SpecLimits()
}
