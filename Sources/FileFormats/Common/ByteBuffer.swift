#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Read-only bytes that stay valid while this object lives: a memory-mapped file or owned memory.
///
/// Mapping a file reads nothing up front; pages are read by the OS only when a tensor is looked at.
public final class ByteBuffer: @unchecked Sendable {
    /// First byte (nil only when `count` is 0).
    public let base: UnsafeRawPointer?
    /// Number of bytes.
    public let count: Int
    private let release: (@Sendable () -> Void)?

    private init(base: UnsafeRawPointer?, count: Int, release: (@Sendable () -> Void)?) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit { release?() }

    /// Owned copy of `bytes`.
    public convenience init(copying bytes: some Collection<UInt8>) {
        let count = bytes.count
        guard count > 0 else {
            self.init(base: nil, count: 0, release: nil)
            return
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        UnsafeMutableRawBufferPointer(start: memory, count: count).copyBytes(from: bytes)
        let address = Int(bitPattern: memory)
        self.init(base: UnsafeRawPointer(memory), count: count) {
            UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
        }
    }

    /// Maps `path` read-only (private, so nothing can write through to the file).
    public static func map(path: String) throws -> ByteBuffer {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ModelFileError("cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelFileError("cannot stat: \(String(cString: strerror(errno)))", file: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ModelFileError("is a folder, not a file", file: path)
        }
        let size = Int(info.st_size)
        guard size > 0 else { return ByteBuffer(base: nil, count: 0, release: nil) }
        guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
            throw ModelFileError("cannot map: \(String(cString: strerror(errno)))", file: path)
        }
        let address = Int(bitPattern: memory)
        return ByteBuffer(base: UnsafeRawPointer(memory), count: size) {
            munmap(UnsafeMutableRawPointer(bitPattern: address), size)
        }
    }

    /// The bytes as a buffer pointer (valid while `self` lives).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// A zero-copy view of bytes `range` that keeps this buffer (and its mapping) alive.
    public func subBuffer(_ range: Range<Int>) throws -> ByteBuffer {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw ModelFileError("byte range \(range.lowerBound)..<\(range.upperBound) is outside the \(count) bytes present")
        }
        guard !range.isEmpty, let base else { return ByteBuffer(base: nil, count: 0, release: nil) }
        return ByteBuffer(base: base + range.lowerBound, count: range.count) { withExtendedLifetime(self) {} }
    }

    /// Takes ownership of `count` bytes at `memory`, allocated with `UnsafeMutableRawPointer.allocate`.
    convenience init(adopting memory: UnsafeMutableRawPointer, count: Int) {
        let address = Int(bitPattern: memory)
        self.init(base: UnsafeRawPointer(memory), count: count) {
            UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
        }
    }

    /// Bytes `range`, or an error if it is not inside the buffer.
    public func slice(_ range: Range<Int>) throws -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw ModelFileError("byte range \(range.lowerBound)..<\(range.upperBound) is outside the \(count) bytes present")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}
