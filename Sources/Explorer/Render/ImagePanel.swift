import Images
import TerminalUI

/// Draws a photo in colour with half blocks: each cell shows two pixels, the upper one as the glyph `▀`'s colour
/// and the lower one as the background, so pixels stay square. Sampled by nearest neighbour to fit. Without
/// colours (plain text, depth none) each cell is a character of a brightness ramp instead.
struct ImagePanel {
    var image: DecodedImage
    var depth: ColorDepth
    var ascii: Bool

    static let ramp = Array(" .:-=+*#%@")

    /// The cells a `width` × `height` area gives the image, keeping it square (two pixel rows per cell).
    static func size(for image: DecodedImage, width: Int, height: Int) -> (cols: Int, rows: Int) {
        guard image.width > 0, image.height > 0, width > 0, height > 0 else { return (0, 0) }
        let cols = min(width, image.width, height * 2 * image.width / image.height)
        let rows = max(1, (cols * image.height / image.width + 1) / 2)
        return (max(1, cols), min(rows, height))
    }

    func render(in rect: Rect, buffer: inout Buffer) {
        let (cols, rows) = Self.size(for: image, width: rect.width, height: rect.height)
        guard cols > 0, rows > 0 else { return }
        func pixel(_ col: Int, _ pixelRow: Int) -> (UInt8, UInt8, UInt8) {
            let x = min(image.width - 1, col * image.width / cols)
            let y = min(image.height - 1, pixelRow * image.height / (rows * 2))
            let p = image.pixel(x: x, y: y)
            return (p.red, p.green, p.blue)
        }
        for row in 0 ..< rows {
            for col in 0 ..< cols {
                let top = pixel(col, row * 2), bottom = pixel(col, row * 2 + 1)
                if depth == .none || ascii {
                    let light = (Int(top.0) + Int(top.1) + Int(top.2) + Int(bottom.0) + Int(bottom.1) + Int(bottom.2)) / 6
                    let glyph = Self.ramp[min(Self.ramp.count - 1, light * Self.ramp.count / 256)]
                    buffer.set(x: rect.x + col, y: rect.y + row, string: String(glyph), style: Style(), clip: rect)
                } else {
                    let style = Style(fg: Color.rgb(top.0, top.1, top.2).downgraded(to: depth),
                                      bg: Color.rgb(bottom.0, bottom.1, bottom.2).downgraded(to: depth))
                    buffer.set(x: rect.x + col, y: rect.y + row, string: "▀", style: style, clip: rect)
                }
            }
        }
    }
}
