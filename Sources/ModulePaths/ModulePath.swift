/// PyTorch's dotted module paths (`encoder.layer.0.attention.self.query.weight`): the one place that joins and
/// splits them, used by the module system (`namedParameters()`, use sites), the file readers (a state dict's nested
/// dictionaries), the trees built from a file's names and the explorer.
///
/// The root module's path is "". Segments may be empty (a hostile file's `a..b`); they are kept, never dropped, so
/// joining the segments of a path gives the path back.
public enum ModulePath {
    /// The separator between segments.
    public static let separator: Character = "."

    /// `prefix.name`, or `name` alone when `prefix` is the root ("").
    @inlinable
    public static func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "." + name
    }

    /// The parent's path and the last segment: `("0", "weight")` for `0.weight`, `("", "weight")` for `weight`.
    public static func split(_ path: String) -> (parent: String, leaf: String) {
        guard let dot = path.lastIndex(of: separator) else { return ("", path) }
        return (String(path[..<dot]), String(path[path.index(after: dot)...]))
    }

    /// The last segment (`weight` for `0.weight`).
    public static func leaf(_ path: String) -> String { split(path).leaf }

    /// Every segment in order, empty ones kept (`a..b` has three).
    public static func segments(_ path: String) -> [Substring] {
        path.split(separator: separator, omittingEmptySubsequences: false)
    }
}
