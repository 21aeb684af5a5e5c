/// An image decoded to 8-bit RGB: `rgb` holds `height` rows of `width` pixels, 3 bytes each (R, G, B), top row
/// first — what Pillow's `Image.open(file).convert("RGB")` holds.
public struct DecodedImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let rgb: [UInt8]

    /// An image from its pixels; `rgb.count` must be `width * height * 3`.
    public init(width: Int, height: Int, rgb: [UInt8]) throws {
        let pixels = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !pixels.overflow, rgb.count / 3 == pixels.partialValue, rgb.count % 3 == 0 else {
            throw ImageError("\(rgb.count) bytes do not make a \(width) × \(height) RGB image", file: "in-memory image")
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    init(checkedWidth width: Int, height: Int, rgb: [UInt8]) {
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The pixel at column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let i = (y * width + x) * 3
        return (rgb[i], rgb[i + 1], rgb[i + 2])
    }
}
