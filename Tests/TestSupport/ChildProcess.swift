#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs this test binary again as a child process that runs one test in a "child mode", so a test can SIGKILL a
/// save midway, drop privileges or measure its own memory without disturbing (or being disturbed by) the tests
/// running in parallel in this process.
public enum ChildProcess {
    /// The environment variable that puts a child in a mode; its value is `mode:argument`.
    public static let modeVariable = "NNVIEW_RELIABILITY_CHILD"

    /// The child mode and its argument when this process is a child, else nil.
    public static var currentMode: (mode: String, argument: String)? {
        guard let value = ProcessInfo.processInfo.environment[modeVariable] else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    /// Starts the test binary running only the test `hostTest` (a Swift Testing filter such as
    /// `"AtomicSaveTests/repeatedSaves"`) with `mode:argument` in its environment; returns its pid.
    public static func spawn(hostTest: String, mode: String, argument: String = "") throws -> pid_t {
        let executable = CommandLine.arguments[0]
        let arguments = [executable, "--testing-library", "swift-testing", "--filter", hostTest]
        var environment = ProcessInfo.processInfo.environment
        environment[modeVariable] = "\(mode):\(argument)"
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        // The child's output is not interesting and would interleave with ours.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return pid
    }

    /// Waits for `pid`; returns its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
