import Testing
@testable import Images

/// Sniffing by magic bytes: the two formats decoded, the common others named, anything else described.
@Suite struct ImageFormatTests {
    @Test func pngAndJPEGAreKnownByTheirMagicBytes() {
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]) == .png)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff([0xFF, 0xD8]) == .unknown)
    }

    @Test func otherImageFormatsAreNamed() {
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == .other("a GIF image"))
        #expect(ImageFormat.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .other("a WebP image"))
        let bmp: [UInt8] = Array("BM".utf8) + [UInt8](repeating: 0, count: 12) + [40, 0, 0, 0]
        #expect(ImageFormat.sniff(bmp) == .other("a BMP image"))
        #expect(ImageFormat.sniff(Array("BMW cars are fast, says this".utf8)) == .unknown)
        #expect(ImageFormat.sniff([0x49, 0x49, 0x2A, 0x00]) == .other("a TIFF image"))
    }

    @Test func aPNGsDeclaredSizeIsReadFromIHDR() {
        let header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [0x00, 0x03, 0x0D, 0x40, 0x00, 0x00, 0x01, 0x2C]
        #expect(ImageFormat.pngDeclaredSize(header).map { [$0.width, $0.height] } == [200_000, 300])
        #expect(ImageFormat.pngDeclaredSize(Array(header.prefix(20))) == nil)
    }

    @Test func anUnknownStartIsShownAsTextOrHex() {
        #expect(ImageFormat.describeStart(Array("ab\tc\nd".utf8)) == "it starts with the text \"ab\\tc\\nd\"")
        #expect(ImageFormat.describeStart([0, 1, 0xFE]) == "it starts with bytes 00 01 fe")
    }
}
