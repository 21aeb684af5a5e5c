#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: a temporary file in the same folder, written and fsynced, renamed over the target,
/// then the folder fsynced, so a crash leaves either the old file or the new one, never half of one.
/// A replaced file keeps its permission bits; temporary files left by a killed earlier save of the same target
/// are removed once a later save of it succeeds.
enum AtomicFileWriter {
    /// Permission bits of a new file (before the umask-free `fchmod`): owner read-write, others read.
    static let newFileMode: mode_t = 0o644

    /// The temporary-file name prefix for `baseName`; `mkstemp` appends six characters.
    static func temporaryPrefix(_ baseName: String) -> String { ".\(baseName).tmp-" }

    /// Writes the chunks `produce` hands to its `write` callback to `path`.
    /// With `overwrite` false an existing file is refused (checked again at rename time with a hard link).
    static func write(to path: String, overwrite: Bool,
                      _ produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let baseName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        if !overwrite, access(path, F_OK) == 0 {
            throw ModelFileError("already exists; not overwriting it", file: path)
        }
        // A replaced file keeps its permissions (a private 0600 key file stays private).
        var existing = stat()
        let mode = overwrite && stat(path, &existing) == 0 ? existing.st_mode & 0o777 : newFileMode
        var template = Array("\(folder)/\(temporaryPrefix(baseName))XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ModelFileError("cannot create a temporary file: \(errorText())", file: path) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The file system's own clock at the start of this save: temporaries older than it are stale.
        var created = stat()
        let startedAt = fstat(fd, &created) == 0 ? created.st_mtim : timespec(tv_sec: 0, tv_nsec: 0)
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
            fchmod(fd, mode)
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
        removeStaleTemporaries(folder: folder, baseName: baseName, current: temporaryPath, olderThan: startedAt)
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Removes `.NAME.tmp-XXXXXX` files of this target (exactly the `mkstemp` pattern) last modified before this
    /// save began: leftovers of a save that was killed. A newer one may belong to a save still running, so it stays.
    static func removeStaleTemporaries(folder: String, baseName: String, current: String, olderThan start: timespec) {
        guard start.tv_sec > 0, let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        let prefix = temporaryPrefix(baseName)
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix) else { continue }
            let suffix = name.dropFirst(prefix.count)
            guard suffix.count == 6, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { continue }
            let path = "\(folder)/\(name)"
            guard path != current else { continue }
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = info.st_mtim
            if modified.tv_sec < start.tv_sec || (modified.tv_sec == start.tv_sec && modified.tv_nsec < start.tv_nsec) {
                stale.append(path)
            }
        }
        for path in stale { unlink(path) }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
