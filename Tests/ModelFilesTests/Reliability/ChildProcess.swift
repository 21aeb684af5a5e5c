#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs this test binary again as a child process in a "reliability child mode" (see `SaveChildMode`), so a test
/// can SIGKILL a save midway or drop privileges without disturbing the tests running in parallel in this process.
enum ChildProcess {
    /// The environment variable that puts a child in a mode; its value is `mode:path`.
    static let modeVariable = "NNVIEW_RELIABILITY_CHILD"

    /// The test that hosts the child modes; a child runs only it.
    static let hostTest = "AtomicSaveTests/repeatedSavesEachLeaveACompleteFile"

    /// Starts the test binary running only `hostTest` with `mode:path` in its environment; returns its pid.
    static func spawn(mode: String, path: String) throws -> pid_t {
        let executable = CommandLine.arguments[0]
        let arguments = [executable, "--testing-library", "swift-testing", "--filter", hostTest]
        var environment = ProcessInfo.processInfo.environment
        environment[modeVariable] = "\(mode):\(path)"
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
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
