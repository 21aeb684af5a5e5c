import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file's first bytes say it is. Only PNG and JPEG are decoded; the other formats are named so the error
/// can say what the file is.
enum ImageFormat: Equatable {
    case png, jpeg
    case other(String)
    case unknown

    /// The number of leading bytes read: enough for the magic numbers and a PNG's IHDR width and height.
    static let magicLength = 24

    /// The format from a file's first bytes (the extension is never consulted).
    static func sniff(_ bytes: [UInt8]) -> ImageFormat {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF8".utf8)) { return .other("a GIF image") }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .other("a WebP image") }
        // "BM" alone is too common a start (a text file); a BMP's DIB header size follows at byte 14.
        if starts(Array("BM".utf8)), bytes.count >= 18, [12, 40, 52, 56, 64, 108, 124].contains(Int(bytes[14]))
            && bytes[15...17].allSatisfy({ $0 == 0 }) { return .other("a BMP image") }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .other("a TIFF image") }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return .other("a JPEG 2000 image") }
        if starts(Array("ftyp".utf8), at: 4) { return .other("an HEIF/AVIF or MP4 file") }
        return .unknown
    }

    /// The width and height a PNG's leading IHDR chunk declares, if the bytes hold one.
    static func pngDeclaredSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (bigEndian(16), bigEndian(20))
    }

    /// How the start of an unknown file reads: as text when its first bytes are printable ASCII, else in hex.
    static func describeStart(_ bytes: [UInt8]) -> String {
        let head = bytes.prefix(8)
        if head.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            let text = String(decoding: head, as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
            return "it starts with the text \"\(text)\""
        }
        return "it starts with bytes " + head.map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    /// Reads up to `magicLength` bytes from the start of `path`.
    static func leadingBytes(ofFileAt path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ImageError(String(cString: strerror(errno)), file: path) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: magicLength)
        var filled = 0
        while filled < magicLength {
            let n = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, magicLength - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ImageError(String(cString: strerror(errno)), file: path)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }
}
