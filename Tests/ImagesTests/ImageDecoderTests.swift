import Foundation
import Testing
@testable import Images

/// Decoding against Pillow's `Image.open(f).convert("RGB")` (the .expect.safetensors beside each image): the
/// size, every pixel through the per-channel sums, and 300 pixels exactly.
@Suite struct ImageDecoderTests {
    @Test(arguments: Fixtures.referenceImages + ["../chelsea.png"])
    func decodesAsPillowDoes(name: String) throws {
        let url = Fixtures.url("images/" + name)
        let expect = try SafeTensorsFixture(contentsOf: URL(fileURLWithPath: url.path + ".expect.safetensors"))
        let image = try ImageDecoder.decode(fileAt: url)
        let size = try expect.int64s("size")
        #expect([image.height, image.width] == size, "\(name): size")

        var sums = [0, 0, 0]
        for (i, value) in image.rgb.enumerated() { sums[i % 3] += Int(value) }
        #expect(sums == (try expect.int64s("decoded_sums")), "\(name): per-channel sums of every pixel")

        let positions = try expect.int32s("sample_yx")
        let samples = try expect.bytes("decoded_samples")
        var mismatches = 0
        for n in 0..<positions.count / 2 {
            let (r, g, b) = image.pixel(x: positions[2 * n + 1], y: positions[2 * n])
            if [r, g, b] != Array(samples[3 * n..<3 * n + 3]) { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(name): \(mismatches) of \(positions.count / 2) sampled pixels differ from Pillow's")
    }

    @Test func greyAndPaletteImagesComeOutAsRGB() throws {
        let grey = try ImageDecoder.decode(fileAt: Fixtures.url("images/grey.png"))
        #expect(grey.rgb.count == grey.width * grey.height * 3)
        let (r, g, b) = grey.pixel(x: 10, y: 10)
        #expect(r == g && g == b)
    }

    @Test func theFormatComesFromTheBytesNotTheName() throws {
        // A PNG named .jpg decodes as the PNG it is.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnview-images-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let renamed = folder.appendingPathComponent("photo.jpg")
        try FileManager.default.copyItem(at: Fixtures.url("images/exact257x256.png"), to: renamed)
        let image = try ImageDecoder.decode(fileAt: renamed)
        #expect(image == (try ImageDecoder.decode(fileAt: Fixtures.url("images/exact257x256.png"))))
    }

    @Test func decodedImageChecksItsPixelCount() {
        #expect(throws: ImageError.self) { try DecodedImage(width: 2, height: 2, rgb: [0, 0, 0]) }
        #expect(throws: ImageError.self) { try DecodedImage(width: 0, height: 2, rgb: []) }
        #expect(throws: ImageError.self) { try DecodedImage(width: Int.max / 2, height: 4, rgb: [0, 0, 0]) }
        let pixel = try? DecodedImage(width: 1, height: 1, rgb: [1, 2, 3]).pixel(x: 0, y: 0)
        #expect(pixel.map { [$0.red, $0.green, $0.blue] } == [1, 2, 3])
    }
}
