import Foundation

/// Runs the real `nnview` binary built next to this test bundle, as a user would, and captures everything.
struct NNViewProcess {
    /// What one run produced.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Wall-clock time of the run in seconds.
        var seconds: Double
        /// True when the run was killed for exceeding its timeout.
        var timedOut: Bool
        /// True when the process died from a signal (a crash or a trap).
        var crashed: Bool

        /// stderr's lines, without the final newline.
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// The binary: `NNVIEW_BINARY` if set, else `nnview` in the folder of the running test executable
    /// (`.build/<triple>/debug/`, where SwiftPM puts every product of the package).
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["NNVIEW_BINARY"] { return URL(fileURLWithPath: override) }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // macOS-style bundles keep the executable in Contents/MacOS; climb to the build folder.
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("nnview")
    }()

    /// Runs `nnview arguments…` in `directory`, killing it after `timeout` seconds (a hang guard). With `viaShell`,
    /// `arguments[0]` is the program to run instead (a shell that sets limits, then execs nnview).
    static func run(_ arguments: [String], in directory: URL? = nil, viaShell: Bool = false, timeout: Double = 20) throws -> Result {
        let process = Process()
        process.executableURL = viaShell ? URL(fileURLWithPath: arguments[0]) : binary
        process.arguments = viaShell ? Array(arguments.dropFirst()) : arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collected = Collected()
        // Read both pipes while the process runs, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        for (pipe, isError) in [(out, false), (err, true)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.store(data, isError: isError)
                group.leave()
            }
        }
        let start = Date()
        try process.run()
        let deadline = start.addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        group.wait()
        return Result(status: process.terminationStatus, stdout: collected.text(isError: false),
                      stderr: collected.text(isError: true), seconds: seconds, timedOut: timedOut,
                      crashed: process.terminationReason == .uncaughtSignal)
    }

    /// Output gathered from the two pipes' reader threads.
    private final class Collected: @unchecked Sendable {
        // Guarded by `lock`: the two reader threads write, the test thread reads after both finished.
        private let lock = NSLock()
        private var stdout = Data()
        private var stderr = Data()

        func store(_ data: Data, isError: Bool) {
            lock.lock()
            defer { lock.unlock() }
            if isError { stderr = data } else { stdout = data }
        }

        func text(isError: Bool) -> String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: isError ? stderr : stdout, as: UTF8.self)
        }
    }
}
