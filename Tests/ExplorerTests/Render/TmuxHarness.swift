import Foundation

/// Drives the real `nnview` binary inside a private tmux server: start a command in a detached session of a given
/// size, send keys, read the screen with capture-pane.
final class TmuxHarness {
    /// tmux on the PATH, or nil.
    static let tmuxPath: String? = {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = String(folder) + "/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { tmuxPath != nil }

    let socket: String
    /// The session keys go to (the one started last).
    private(set) var session = "nnview"
    let directory: URL

    /// A fresh tmux server on its own socket, with a scratch directory for the command's files.
    init() throws {
        socket = "nnview-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs tmux with `arguments` on this harness's socket; returns stdout.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try TmuxHarness.run(TmuxHarness.tmuxPath ?? "tmux", ["-L", socket] + arguments)
    }

    /// Starts `script` (a shell script body, run with /bin/sh in `directory`) in a detached `width` × `height` session.
    /// Each start makes a new session (named `name`), so a second program can run after the first has ended.
    func start(script: String, width: Int = 120, height: Int = 40, name: String = "nnview") throws {
        session = name
        let file = directory.appendingPathComponent("run-\(name).sh")
        try ("#!/bin/sh\ncd '\(directory.path)'\n" + script).write(to: file, atomically: true, encoding: .utf8)
        try tmux(["-u", "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                  "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "-e", "TERM=tmux-256color",
                  "/bin/sh " + file.path])
        try tmux(["set-option", "-t", session, "window-size", "manual"])
    }

    /// Sends keys as tmux names them (`Enter`, `Tab`, `C-r`, or literal text with `literal`).
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as text.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", session])
    }

    /// Waits until the screen satisfies `condition` (polling), returning the screen; throws with the last screen
    /// after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        throw HarnessError(description: "timed out waiting for \(what); screen was:\n\(last)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, timeout: Double = 10) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until a file the script writes exists and returns its contents.
    func waitForFile(_ name: String, timeout: Double = 10) throws -> String {
        let url = directory.appendingPathComponent(name)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: url.path), !data.isEmpty,
               let text = String(data: data, encoding: .utf8) {
                return text
            }
            usleep(50_000)
        }
        throw HarnessError(description: "timed out waiting for \(url.path); screen was:\n\((try? screen()) ?? "")")
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs an executable and returns its stdout; throws with stderr when it fails.
    ///
    /// posix_spawn + waitpid rather than Foundation's Process: the test runner's threads block signals (SIGCHLD
    /// among them), which left Process waiting forever for a tmux client that had long exited, and a spawned
    /// tmux server would inherit the blocked mask. Output goes through files, not pipes, because the forked
    /// tmux server could keep a pipe open.
    /// `directory`, when given, is the child's working directory, so that relative paths in its arguments and in
    /// what it prints do not depend on where the package is checked out.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nnview-run-\(UUID().uuidString)")
        let outPath = scratch.path + ".out", errPath = scratch.path + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        // Glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here: coreutils' `env -C` changes
        // the directory and then execs the executable.
        let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw HarnessError(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exitedNormally = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exitedNormally && code == 0 else {
            let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw HarnessError(description: "\(executable) \(arguments.joined(separator: " ")) failed "
                               + "(status \(status)): \(errors)")
        }
        return output
    }
}

/// Finds the `nnview` executable the tests were built with, building it once if it is missing.
enum NNViewBinary {
    /// The frame `nnview snapshot PATH --size SIZE --keys KEYS` prints, run from the package root with `path`
    /// relative to it: the header shows the path as given and is cut at the frame's width, so an absolute path
    /// would make a golden depend on where the package is checked out.
    static func snapshot(_ path: String, size: String, keys: String) throws -> String {
        try TmuxHarness.run(try Self.path.get(), ["snapshot", path, "--size", size, "--keys", keys],
                            in: packageRoot.path)
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path, or an error saying why there is none.
    static let path: Result<String, TmuxHarness.HarnessError> = {
        // `swift test` builds every product next to the test bundle (…/debug/nnview).
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("nnview"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("nnview"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("nnview"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return .success(candidate.path)
        }
        // Not built (e.g. a filtered build): build it once into its own scratch folder, so this never waits on the
        // build lock of the `swift test` that is running us.
        let scratch = packageRoot.appendingPathComponent(".build-e2e")
        do {
            let package = ["--package-path", packageRoot.path, "--scratch-path", scratch.path]
            try TmuxHarness.run("/usr/bin/env", ["swift", "build", "--product", "nnview"] + package)
            let binPath = try TmuxHarness.run("/usr/bin/env", ["swift", "build", "--show-bin-path"] + package)
            let built = URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines))
                .appendingPathComponent("nnview")
            return .success(built.path)
        } catch {
            return .failure(TmuxHarness.HarnessError(description: "no nnview binary: \(error)"))
        }
    }()
}
