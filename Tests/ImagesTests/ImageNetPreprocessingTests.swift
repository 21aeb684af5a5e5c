import Foundation
import NNCore
import Testing
@testable import Images

/// The preprocessed input against torchvision's ImageNet preset (PIL backend). Deviations are measured in the
/// 0…1 scale before normalising (a normalised difference times the channel's std); the bound is 2/255.
@Suite struct ImageNetPreprocessingTests {
    static let bound: Float = 2 / 255

    @Test func chelseaMatchesTorchvisionsInput() throws {
        let expect = try SafeTensorsFixture(contentsOf: Fixtures.url("mobilenet_v2.chelsea.expect.safetensors"))
        #expect(try expect.entry("input", dtype: "F32").shape == [1, 3, 224, 224])
        let reference = try expect.floats("input")
        let tensor = try ImageNetPreprocessing.tensor(fileAt: Fixtures.url("chelsea.png"))
        #expect(tensor.shape == [1, 3, 224, 224])
        let values = tensor.toArray()
        var worst: Float = 0
        for channel in 0..<3 {
            let std = ImageNetPreprocessing.std[channel]
            for i in channel * 224 * 224..<(channel + 1) * 224 * 224 {
                worst = max(worst, abs(values[i] - reference[i]) * std)
            }
        }
        print("chelsea.png: max deviation from torchvision's input \(worst) (\(worst * 255)/255)")
        #expect(worst <= Self.bound)
    }

    @Test(arguments: Fixtures.referenceImages)
    func cropMatchesTorchvisions(name: String) throws {
        let url = Fixtures.url("images/" + name)
        let expect = try SafeTensorsFixture(contentsOf: URL(fileURLWithPath: url.path + ".expect.safetensors"))
        let crop = ImageNetPreprocessing.croppedImage(for: try ImageDecoder.decode(fileAt: url))
        #expect(crop.width == 224 && crop.height == 224)

        var sums = [0, 0, 0]
        for (i, value) in crop.rgb.enumerated() { sums[i % 3] += Int(value) }
        let expectedSums = try expect.int64s("crop_sums")
        let sampled = try expect.bytes("crop_sampled")  // [3, 75, 75]: rows and columns 0, 3, …, 222
        var worst = 0
        for channel in 0..<3 {
            for (row, y) in stride(from: 0, to: 224, by: 3).enumerated() {
                for (column, x) in stride(from: 0, to: 224, by: 3).enumerated() {
                    let ours = Int(crop.rgb[(y * 224 + x) * 3 + channel])
                    worst = max(worst, abs(ours - Int(sampled[(channel * 75 + row) * 75 + column])))
                }
            }
        }
        print("\(name): max deviation from torchvision's crop \(worst)/255 (sampled), per-channel sums "
              + "\(sums) vs \(expectedSums)")
        #expect(worst <= 2, "\(name): sampled crop pixels differ by up to \(worst)/255")
        // Mean per channel over the whole crop within 0.5/255 (no systematic drift anywhere in the crop).
        for channel in 0..<3 {
            #expect(abs(sums[channel] - expectedSums[channel]) <= 224 * 224 / 2, "\(name): channel \(channel) sum")
        }

        // The tensor is the crop scaled and normalised, in float32, as torchvision computes it.
        let tensor = try ImageNetPreprocessing.tensor(for: try ImageDecoder.decode(fileAt: url)).toArray()
        let plane = 224 * 224
        for (channel, i) in [(0, 0), (1, 5000), (2, plane - 1)] {
            let pixel = Float(crop.rgb[i * 3 + channel]) / 255
            let expected = (pixel - ImageNetPreprocessing.mean[channel]) / ImageNetPreprocessing.std[channel]
            #expect(tensor[channel * plane + i] == expected)
        }
    }

    @Test func resizeKeepsTorchvisionsSizes() {
        // Shorter side to 256, the longer int(256 * long / short).
        #expect(ImageNetPreprocessing.resizedSize(width: 451, height: 300) == (384, 256))
        #expect(ImageNetPreprocessing.resizedSize(width: 300, height: 451) == (256, 384))
        #expect(ImageNetPreprocessing.resizedSize(width: 150, height: 100) == (384, 256))
        #expect(ImageNetPreprocessing.resizedSize(width: 333, height: 333) == (256, 256))
        #expect(ImageNetPreprocessing.resizedSize(width: 257, height: 256) == (257, 256))
        #expect(ImageNetPreprocessing.resizedSize(width: 640, height: 427) == (383, 256))
        #expect(ImageNetPreprocessing.resizedSize(width: 0, height: 427) == (0, 0))
    }

    @Test func centerCropRoundsHalvesToEven() {
        // Python's round: 16.5 → 16, 17.5 → 18.
        #expect(ImageNetPreprocessing.cropOrigin(width: 257, height: 256) == (16, 16))
        #expect(ImageNetPreprocessing.cropOrigin(width: 259, height: 256) == (18, 16))
        #expect(ImageNetPreprocessing.cropOrigin(width: 384, height: 256) == (80, 16))
    }

    @Test func aWindowOfTheResizeEqualsTheSamePartOfTheWholeResize() throws {
        let image = try ImageDecoder.decode(fileAt: Fixtures.url("images/baseline.jpg"))
        let whole = BilinearResampling.resize(image, width: 170, height: 113, columns: 0..<170, rows: 0..<113)
        let window = BilinearResampling.resize(image, width: 170, height: 113, columns: 40..<100, rows: 30..<90)
        for y in 0..<60 {
            let expected = whole[((y + 30) * 170 + 40) * 3..<((y + 30) * 170 + 100) * 3]
            #expect(Array(window[y * 180..<(y + 1) * 180]) == Array(expected), "row \(y)")
        }
    }

    @Test func aConstantImageStaysConstant() throws {
        // The weights of every output pixel sum to 1 in fixed point (within rounding): grey 77 stays 77.
        let image = try DecodedImage(width: 97, height: 1000, rgb: [UInt8](repeating: 77, count: 97 * 1000 * 3))
        let crop = ImageNetPreprocessing.croppedImage(for: image)
        #expect(crop.rgb.allSatisfy { $0 == 77 })
    }

    @Test func aLegalVeryWidePNGDecodesAndCrops() throws {
        // 1,500,000 × 1 (past libpng's default 1,000,000 limit); column x holds (x / 1000) % 256. Resize makes it
        // 384,000,000 × 256; the crop's columns come from input columns 749,999 (237) and 750,000 (238).
        let image = try ImageDecoder.decode(fileAt: Fixtures.url("extreme/wide.png"))
        #expect(image.width == 1_500_000 && image.height == 1)
        #expect(image.pixel(x: 749_999, y: 0).red == 237 && image.pixel(x: 750_000, y: 0).blue == 238)
        let crop = ImageNetPreprocessing.croppedImage(for: image)
        let firstRow = Array(crop.rgb[0..<224 * 3])
        #expect(firstRow.allSatisfy { $0 == 237 || $0 == 238 })
        #expect(firstRow.contains(237) && firstRow.contains(238))
        for y in 1..<224 { #expect(Array(crop.rgb[y * 224 * 3..<(y + 1) * 224 * 3]) == firstRow, "row \(y)") }
    }

    @Test func aVeryLongImageCostsOnlyItsCrop() throws {
        // 2 × 20,000 resizes to 256 × 2,560,000; only the 224 × 224 crop (and the rows it reads) is computed.
        var rgb = [UInt8](repeating: 0, count: 2 * 20_000 * 3)
        for y in 0..<20_000 { for x in 0..<2 { rgb[(y * 2 + x) * 3] = UInt8(y % 256) } }
        let crop = ImageNetPreprocessing.croppedImage(for: try DecodedImage(width: 2, height: 20_000, rgb: rgb))
        #expect(crop.width == 224 && crop.height == 224)
    }
}
