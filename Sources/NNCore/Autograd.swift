/// Switches for define-by-run autograd: the grad mode and the current use site, both task/thread local so
/// parallel tests and threads don't see each other's settings.
public enum Autograd {
    @TaskLocal static var gradEnabled: Bool = true
    @TaskLocal static var useSite: UseSiteFrame? = nil

    /// The innermost use site and the object that opened it, in one task-local: a module call sets one value
    /// instead of two (task-local pushes and lookups are a measurable part of a tiny model's step).
    ///
    /// `@unchecked Sendable` because `owner` is an arbitrary object; it is only ever read by the thread running
    /// the `withUseSite` body that bound it (task-locals are bound around synchronous bodies here).
    struct UseSiteFrame: @unchecked Sendable {
        let path: String
        let owner: AnyObject?
    }

    /// Whether ops currently record their backward rules (false inside `noGrad`).
    public static var isGradEnabled: Bool { gradEnabled }

    /// The use-site path set by the innermost `withUseSite`, or nil.
    public static var currentUseSite: String? { useSite?.path }

    /// The object passed as `owner` to the innermost `withUseSite` that had one (the module being called), or nil.
    public static var currentUseSiteOwner: AnyObject? { useSite?.owner }

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
        try $useSite.withValue(UseSiteFrame(path: path, owner: useSite?.owner), operation: body)
    }

    /// Runs `body` with `path` as the use site and `owner` as `currentUseSiteOwner`, so a caller that keeps
    /// per-call context (the module system's call stack) needs no task-local of its own.
    public static func withUseSite<T>(_ path: String, owner: AnyObject, _ body: () throws -> T) rethrows -> T {
        try $useSite.withValue(UseSiteFrame(path: path, owner: owner), operation: body)
    }
}
