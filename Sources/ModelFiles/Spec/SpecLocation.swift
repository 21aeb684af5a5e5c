/// A position in a .nn file: 1-based line and column (columns count Unicode scalars, a tab is one column).
public struct SpecLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    /// A location at `line`:`column`.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file.
    public static let start = SpecLocation(line: 1, column: 1)

    public static func < (lhs: SpecLocation, rhs: SpecLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}
