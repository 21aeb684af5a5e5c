#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// Switches for define-by-run autograd: the grad mode and the current use site, both per thread so parallel
/// tests, tasks and threads don't see each other's settings.
///
/// Per thread rather than `@TaskLocal`: every op reads them and every module call sets one, and a task-local
/// read or push (a generic runtime call, a heap-allocated entry per push) cost more than a tiny layer's
/// bookkeeping. The switches are only ever set around synchronous bodies, which run start to end on one thread,
/// so a thread's state is exactly what a task-local would hold there (child tasks started inside a body do not
/// inherit it).
public enum Autograd {
    /// The innermost use site and the object that opened it, in one value: a module call sets one value instead
    /// of two.
    ///
    /// `@unchecked Sendable` because `owner` is an arbitrary object; it is only ever read by the thread running
    /// the `withUseSite` body that bound it.
    struct UseSiteFrame: @unchecked Sendable {
        let path: String
        let owner: AnyObject?
    }

    /// Whether ops currently record their backward rules (false inside `noGrad`).
    public static var isGradEnabled: Bool { AutogradThreadState.current.gradEnabled }

    /// The use-site path set by the innermost `withUseSite`, or nil.
    public static var currentUseSite: String? { AutogradThreadState.current.useSite?.path }

    /// The object passed as `owner` to the innermost `withUseSite` that had one (the module being called), or nil.
    public static var currentUseSiteOwner: AnyObject? { AutogradThreadState.current.useSite?.owner }

    /// Runs `body` without recording any graph (like `torch.no_grad()`), returning its value.
    public static func noGrad<T>(_ body: () throws -> T) rethrows -> T {
        try withGradEnabled(false, body)
    }

    /// Runs `body` with recording switched back on (like `torch.enable_grad()`).
    public static func enableGrad<T>(_ body: () throws -> T) rethrows -> T {
        try withGradEnabled(true, body)
    }

    /// Runs `body` with `path` as the use site: every node recorded inside remembers it, so backward can split a
    /// leaf's gradient by the module call that used it.
    public static func withUseSite<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        let state = AutogradThreadState.current
        return try state.withUseSite(UseSiteFrame(path: path, owner: state.useSite?.owner), body)
    }

    /// Runs `body` with `path` as the use site and `owner` as `currentUseSiteOwner`, so a caller that keeps
    /// per-call context (the module system's call stack) needs no state of its own.
    public static func withUseSite<T>(_ path: String, owner: AnyObject, _ body: () throws -> T) rethrows -> T {
        try AutogradThreadState.current.withUseSite(UseSiteFrame(path: path, owner: owner), body)
    }

    private static func withGradEnabled<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let state = AutogradThreadState.current
        let outer = state.gradEnabled
        state.gradEnabled = enabled
        defer { state.gradEnabled = outer }
        return try body()
    }
}

/// The autograd switches of one thread (see `Autograd`), created on the thread's first use and released when the
/// thread exits. Only its own thread ever touches it.
final class AutogradThreadState {
    @exclusivity(unchecked) var gradEnabled = true
    @exclusivity(unchecked) var useSite: Autograd.UseSiteFrame?

    /// Runs `body` with `frame` as the innermost use site, restoring the outer one afterwards (also on throw).
    @inline(__always)
    func withUseSite<T>(_ frame: Autograd.UseSiteFrame, _ body: () throws -> T) rethrows -> T {
        let outer = useSite
        useSite = frame
        defer { useSite = outer }
        return try body()
    }

    /// The calling thread's state.
    static var current: AutogradThreadState {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<AutogradThreadState>.fromOpaque(pointer).takeUnretainedValue()
        }
        let state = AutogradThreadState()
        pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
        return state
    }

    /// The thread-specific slot holding each thread's state (retained), released by `releaseThreadState`.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { releaseThreadState($0) }
        precondition(status == 0, "Autograd: no thread-specific key available (pthread_key_create: \(status))")
        return key
    }()
}

/// Releases a thread's `AutogradThreadState` when the thread exits.
private func releaseThreadState(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<AutogradThreadState>.fromOpaque(pointer).release()
}
