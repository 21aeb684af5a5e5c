import Foundation

/// Decodes PNG and JPEG files to 8-bit RGB, as Pillow's `Image.open(file).convert("RGB")` does, through the
/// system's libpng and libjpeg. The format is found from the file's first bytes, not its name. The declared size
/// is checked against `pixelLimit` before any pixel memory is allocated; every problem is an `ImageError`.
public enum ImageDecoder {
    /// The largest image decoded, in pixels (width × height): 100 million, 300 MB of RGB.
    public static let pixelLimit = 100_000_000

    /// The decoded pixels of the PNG or JPEG file at `url`.
    public static func decode(fileAt url: URL) throws -> DecodedImage {
        let path = url.path
        let magic = try ImageFormat.leadingBytes(ofFileAt: path)
        switch ImageFormat.sniff(magic) {
        case .png:
            // The size rules first, in nnview's words (libpng says "Invalid IHDR data" for a zero width).
            if let size = ImageFormat.pngDeclaredSize(magic) {
                _ = try checkedByteCount(width: size.width, height: size.height, format: "PNG", path: path)
            }
            return try PNGDecoding.decode(path: path)
        case .jpeg: return try JPEGDecoding.decode(path: path)
        case .other(let what):
            throw ImageError("\(what); nnview reads PNG and JPEG only", file: path)
        case .unknown:
            if magic.isEmpty { throw ImageError("empty file, not an image", file: path) }
            throw ImageError("not a PNG or JPEG image (\(ImageFormat.describeStart(magic)))", file: path)
        }
    }

    /// Checks a declared size before decoding: not zero, and at most `pixelLimit` pixels. Returns the byte count
    /// of the RGB image.
    static func checkedByteCount(width: Int, height: Int, format: String, path: String) throws -> Int {
        guard width > 0, height > 0 else {
            throw ImageError("\(format) declares a zero-size image (\(width) × \(height) pixels)", file: path)
        }
        // Both sides are below 2^32 (they come from 32-bit fields), so the product cannot overflow an Int.
        guard width * height <= pixelLimit else {
            throw ImageError("\(format) declares \(width) × \(height) pixels, more than nnview decodes "
                             + "(limit \(grouped(pixelLimit)) pixels)", file: path)
        }
        return width * height * 3
    }

    /// `100000000` as `100,000,000`.
    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
