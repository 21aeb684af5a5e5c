import Foundation
import Synchronization

/// Scratch folders for tests that write files: each is made inside one folder per test process
/// (`$TMPDIR/nnview-tests-PID-…`), which is removed with everything in it when the process exits, so a test run
/// leaves nothing behind in the temporary folder however its tests end (a child process the reliability tests
/// SIGKILL keeps its own, inside the folder its parent gave it).
public enum ScratchSpace {
    private static let root = Mutex<String?>(nil)

    /// A fresh empty folder named `prefix-UUID`, removed at exit.
    public static func folder(_ prefix: String) throws -> URL {
        let url = URL(fileURLWithPath: try rootPath()).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path for a file named `prefix-UUID.ext` in the process's scratch root (not created), removed at exit.
    public static func file(_ prefix: String, extension ext: String) throws -> String {
        URL(fileURLWithPath: try rootPath()).appendingPathComponent("\(prefix)-\(UUID().uuidString).\(ext)").path
    }

    private static func rootPath() throws -> String {
        try root.withLock { root in
            if let root { return root }
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("nnview-tests-\(getpid())-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            root = path
            atexit { ScratchSpace.removeRoot() }
            return path
        }
    }

    private static func removeRoot() {
        guard let path = root.withLock({ $0 }) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
