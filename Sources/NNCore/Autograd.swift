/// Switches for define-by-run autograd: the grad mode and the current use site, both task/thread local so
/// parallel tests and threads don't see each other's settings.
public enum Autograd {
    @TaskLocal static var gradEnabled: Bool = true
    @TaskLocal static var useSite: String? = nil

    /// Whether ops currently record their backward rules (false inside `noGrad`).
    public static var isGradEnabled: Bool { gradEnabled }

    /// The use-site path set by the innermost `withUseSite`, or nil.
    public static var currentUseSite: String? { useSite }

    /// Runs `body` without recording any graph (like `torch.no_grad()`), returning its value.
    public static func noGrad<T>(_ body: () throws -> T) rethrows -> T {
        try $gradEnabled.withValue(false, operation: body)
    }

    /// Runs `body` with recording switched back on (like `torch.enable_grad()`).
    public static func enableGrad<T>(_ body: () throws -> T) rethrows -> T {
        try $gradEnabled.withValue(true, operation: body)
    }

    /// Runs `body` with `path` as the use site: every node recorded inside remembers it, so backward can split a
    /// leaf's gradient by the module call that used it.
    public static func withUseSite<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        try $useSite.withValue(path, operation: body)
    }
}
