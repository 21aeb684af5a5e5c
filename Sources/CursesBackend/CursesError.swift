/// Why the terminal could not be taken over.
public struct CursesError: Error, CustomStringConvertible, Equatable {
    /// One-line explanation.
    public let description: String
}
