import CNcursesw

/// Holds back standard error while curses owns the screen and replays it on the normal screen afterwards, so a
/// message written just before a crash (or any stray warning) is neither drawn over the frame nor lost with the
/// alternate screen. The fatal-signal handler and the exit hook replay it too (see the shim).
enum StandardErrorCapture {
    /// Sends fd 2 to an unlinked temporary file. Does nothing if a capture is running or no file can be made
    /// (standard error then stays where it was).
    static func begin() { _ = nnview_begin_stderr_capture() }

    /// Points fd 2 back where it was and writes out what was captured. Safe to call without a capture.
    static func end() { nnview_end_stderr_capture() }
}
