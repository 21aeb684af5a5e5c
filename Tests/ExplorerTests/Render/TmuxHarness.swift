import Foundation

/// Drives the real `nnview` binary inside a private tmux server: start a command in a detached session of a given
/// size, send keys, read the screen with capture-pane.
final class TmuxHarness {
    /// tmux on the PATH, or nil.
    static let tmuxPath: String? = {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = folder + "/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { tmuxPath != nil }

    let socket: String
    let session = "nnview"
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
    func start(script: String, width: Int = 120, height: Int = 40) throws {
        let file = directory.appendingPathComponent("run.sh")
        try ("#!/bin/sh\ncd '\(directory.path)'\n" + script).write(to: file, atomically: true, encoding: .utf8)
        _ = try? tmux(["kill-session", "-t", session])
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
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError(description: "\(executable) \(arguments.joined(separator: " ")) exited "
                               + "\(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Finds the `nnview` executable the tests were built with, building it once if it is missing.
enum NNViewBinary {
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
            try TmuxHarness.run("/usr/bin/env", ["swift", "build", "--product", "nnview", "--scratch-path", scratch.path],
                                in: packageRoot)
            let binPath = try TmuxHarness.run("/usr/bin/env", ["swift", "build", "--scratch-path", scratch.path,
                                                               "--show-bin-path"], in: packageRoot)
            let built = URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines))
                .appendingPathComponent("nnview")
            return .success(built.path)
        } catch {
            return .failure(TmuxHarness.HarnessError(description: "no nnview binary: \(error)"))
        }
    }()
}
