import Foundation
import ZIPFoundation

extension ZipArchiveReader {
    /// Inflates a deflated member into owned memory.
    ///
    /// The claimed uncompressed size is checked against `limit` and against deflate's maximum expansion before
    /// anything is allocated; the output may never
    /// exceed it, must come out exactly that long, and must match the member's CRC-32.
    func inflate(_ entry: ZipEntry, limit: Int) throws -> ByteBuffer {
        let size = entry.uncompressedSize
        guard size <= limit else {
            throw ModelFileError("zip member \"\(entry.name)\" would inflate to \(size) bytes, more than the \(limit)-byte limit",
                                 file: source)
        }
        // Deflate expands at most 1032:1, so a larger claim is a lie: refuse it before allocating what it claims.
        let maximumExpansion = 1032
        let (bound, overflow) = entry.dataRange.count.multipliedReportingOverflow(by: maximumExpansion)
        guard overflow || size <= bound + 64 else {
            throw ModelFileError("zip member \"\(entry.name)\" claims \(size) bytes from \(entry.dataRange.count) compressed bytes, more than deflate can produce",
                                 file: source)
        }
        let compressed = try buffer.slice(entry.dataRange)
        let output = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 64)
        var produced = 0
        let chunkSize = 64 << 10
        let checksum: CRC32
        do {
            checksum = try Data.decompress(
                size: Int64(entry.compressedSize), bufferSize: chunkSize, skipCRC32: false,
                provider: { position, _ in
                    // ZIPFoundation's inflate loop keeps asking while the stream has not ended and always tells zlib
                    // a whole chunk is there: so never answer with nothing (it would spin) and always pad to a full
                    // chunk (zlib would otherwise read past the Data).
                    let start = Int(position)
                    guard start < compressed.count else { throw InflateProblem.truncated }
                    var chunk = Data(count: chunkSize)
                    let length = min(chunkSize, compressed.count - start)
                    chunk.withUnsafeMutableBytes { target in
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: compressed[start ..< start + length]))
                    }
                    return chunk
                },
                consumer: { data in
                    guard data.count <= size - produced else { throw InflateProblem.tooLong }
                    data.withUnsafeBytes { source in
                        if let base = source.baseAddress { (output + produced).copyMemory(from: base, byteCount: source.count) }
                    }
                    produced += data.count
                })
        } catch {
            output.deallocate()
            switch error {
            case InflateProblem.truncated:
                throw ModelFileError("zip member \"\(entry.name)\": deflate stream ends before its last block", file: source)
            case InflateProblem.tooLong:
                throw ModelFileError("zip member \"\(entry.name)\" inflates to more than the \(size) bytes it claims", file: source)
            default:
                throw ModelFileError("zip member \"\(entry.name)\": corrupt deflate stream", file: source)
            }
        }
        guard produced == size else {
            output.deallocate()
            throw ModelFileError("zip member \"\(entry.name)\" inflates to \(produced) bytes but claims \(size)", file: source)
        }
        guard checksum == entry.crc32 else {
            output.deallocate()
            throw ModelFileError("zip member \"\(entry.name)\" fails its CRC-32 check", file: source)
        }
        return ByteBuffer(adopting: output, count: size)
    }
}

/// Why the inflate callbacks stopped.
private enum InflateProblem: Error {
    case truncated
    case tooLong
}
