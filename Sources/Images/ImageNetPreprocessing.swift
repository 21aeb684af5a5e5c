import Foundation
import NNCore

/// torchvision's ImageNet preset for classification models (`weights.transforms()`, PIL backend):
/// Resize(256) with Pillow's antialiased bilinear filter on the shorter side, CenterCrop(224), scale to [0, 1],
/// Normalize(mean, std) → a tensor [1, 3, 224, 224].
public enum ImageNetPreprocessing {
    /// The shorter side after resizing.
    public static let resizeSize = 256
    /// The side of the square centre crop.
    public static let cropSize = 224
    /// Per-channel (R, G, B) mean and standard deviation of ImageNet, as torchvision's preset has them.
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    public static let std: [Float] = [0.229, 0.224, 0.225]

    /// The size `Resize(256)` gives an image of `width` × `height`: the shorter side becomes 256 and the longer
    /// `int(256 * long / short)` (torchvision's `_compute_resized_output_size`, truncating); (0, 0) for an empty
    /// size.
    public static func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let short = min(width, height), long = max(width, height)
        guard short > 0 else { return (0, 0) }
        // Python's true division of two integers is correctly rounded, as Double's is for values below 2^53.
        let newLong = Int(Double(resizeSize * long) / Double(short))
        return width <= height ? (resizeSize, newLong) : (newLong, resizeSize)
    }

    /// The top-left corner of `CenterCrop(224)` in an image of `width` × `height`: `int(round((side - 224) /
    /// 2.0))`, Python's round (halves to even).
    public static func cropOrigin(width: Int, height: Int) -> (x: Int, y: Int) {
        func offset(_ side: Int) -> Int { Int((Double(side - cropSize) / 2.0).rounded(.toNearestOrEven)) }
        return (offset(width), offset(height))
    }

    /// The 224 × 224 RGB8 pixels the network sees (resized and cropped, before scaling and normalising).
    public static func croppedImage(for image: DecodedImage) -> DecodedImage {
        let resized = resizedSize(width: image.width, height: image.height)
        let origin = cropOrigin(width: resized.width, height: resized.height)
        let pixels = BilinearResampling.resize(image, width: resized.width, height: resized.height,
                                               columns: origin.x..<origin.x + cropSize,
                                               rows: origin.y..<origin.y + cropSize)
        return DecodedImage(checkedWidth: cropSize, height: cropSize, rgb: pixels)
    }

    /// The normalised input tensor [1, 3, 224, 224] for `image`.
    public static func tensor(for image: DecodedImage) throws -> Tensor {
        let crop = croppedImage(for: image)
        let plane = cropSize * cropSize
        var values = [Float](repeating: 0, count: 3 * plane)
        for channel in 0..<3 {
            // torchvision divides by 255, subtracts the mean and divides by the std, each in float32.
            let m = mean[channel], s = std[channel]
            for i in 0..<plane {
                values[channel * plane + i] = (Float(crop.rgb[i * 3 + channel]) / 255 - m) / s
            }
        }
        return try Tensor(values, shape: [1, 3, cropSize, cropSize])
    }

    /// The normalised input tensor [1, 3, 224, 224] for the PNG or JPEG file at `url`.
    public static func tensor(fileAt url: URL) throws -> Tensor {
        try tensor(for: ImageDecoder.decode(fileAt: url))
    }
}
