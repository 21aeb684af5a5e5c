import Foundation
import ModelFiles

/// Output that keeps the promise of one line per error: stderr messages have their line breaks folded.
enum CommandLineOutput {
    /// Prints `nnview: message` as one line on stderr and exits with `status`.
    static func fail(_ message: String, status: Int32) -> Never {
        printError("nnview: " + message)
        terminate(status)
    }

    /// Ends the process with `status` (a plain function, so commands' static `exit(withError:)` doesn't shadow it).
    static func terminate(_ status: Int32) -> Never {
        // exit() flushes stdout's buffer, so printed output is never lost.
        exit(status)
    }

    /// Writes `text` as one line on stderr (newlines folded into "; ").
    static func printError(_ text: String) {
        let folded = text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        FileHandle.standardError.write(Data((folded + "\n").utf8))
    }

    /// Whether `a` and `b` name the same existing file (same device and inode), so `convert` and `step` never
    /// write over one of their own inputs.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}

private extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// The built-in model names for help texts.
enum BuiltinNames {
    static let list = BuiltinModels.names.joined(separator: ", ")
}
