#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: a temporary file in the same folder, written and fsynced, renamed over the target,
/// then the folder fsynced, so a crash leaves either the old file or the new one, never half of one.
enum AtomicFileWriter {
    /// Writes the chunks `produce` hands to its `write` callback to `path`.
    /// With `overwrite` false an existing file is refused (checked again at rename time with a hard link).
    static func write(to path: String, overwrite: Bool,
                      _ produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let baseName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        if !overwrite, access(path, F_OK) == 0 {
            throw ModelFileError("already exists; not overwriting it", file: path)
        }
        var template = Array("\(folder)/.\(baseName).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ModelFileError("cannot create a temporary file: \(errorText())", file: path) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            if !finished { unlink(temporaryPath) }
        }
        do {
            defer { close(fd) }
            try produce { chunk in
                var offset = 0
                while offset < chunk.count {
                    let written = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw ModelFileError("cannot write: \(errorText())", file: path)
                    }
                    offset += written
                }
            }
            fchmod(fd, 0o644)
            guard fsync(fd) == 0 else { throw ModelFileError("cannot fsync: \(errorText())", file: path) }
        }
        if overwrite {
            guard rename(temporaryPath, path) == 0 else { throw ModelFileError("cannot rename into place: \(errorText())", file: path) }
        } else {
            // link() fails if the target appeared meanwhile, so an existing file is never replaced.
            guard link(temporaryPath, path) == 0 else {
                if errno == EEXIST { throw ModelFileError("already exists; not overwriting it", file: path) }
                throw ModelFileError("cannot move into place: \(errorText())", file: path)
            }
            unlink(temporaryPath)
        }
        finished = true
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
