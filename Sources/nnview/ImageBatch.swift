import Foundation
import Images
import ModelFiles
import NNCore

/// The batch `nnview run --image/--input` feeds an image classifier: `input` [N, 3, H, W] and where each image came
/// from.
struct ImageBatch {
    /// One description per image: the photo's path, or `FILE input[i]` for `--input`.
    var sources: [String]
    var input: Tensor

    /// The most pixels (N × H × W) one run feeds the network: a convolution's activations are tens of times its
    /// input, so this keeps a run within a few GB (83 photos at 224 × 224, or one 2048 × 2048 input).
    static let pixelLimit = 2048 * 2048

    /// The most photos in one batch: `pixelLimit` in 224 × 224 crops.
    static let maxImages = pixelLimit / (ImageNetPreprocessing.cropSize * ImageNetPreprocessing.cropSize)

    /// The photos decoded and preprocessed as torchvision's ImageNet preset (Resize(256), CenterCrop(224),
    /// Normalize), stacked into [N, 3, 224, 224] in the order given.
    static func fromImages(_ paths: [String]) throws -> ImageBatch {
        let side = ImageNetPreprocessing.cropSize
        try checkPixels(count: paths.count, height: side, width: side, what: "\(paths.count) images", file: paths[0])
        var values: [Float] = []
        values.reserveCapacity(paths.count * 3 * side * side)
        for path in paths {
            values += try ImageNetPreprocessing.tensor(fileAt: URL(fileURLWithPath: path)).toArray()
        }
        return ImageBatch(sources: paths, input: try Tensor(values, shape: [paths.count, 3, side, side]))
    }

    /// The tensor `input` [N, 3, H, W] of a safetensors (or other tensor) file, used as it is.
    static func fromInputFile(_ path: String) throws -> ImageBatch {
        let archive = try ModelFileReader.open(path: path)
        guard let record = archive.tensor(named: "input") else {
            throw ModelFileError("has no tensor named \"input\" (an image batch [N, 3, H, W])", file: path)
        }
        let shape = record.shape
        guard shape.count == 4, shape[1] == 3, shape[0] > 0, shape[2] > 0, shape[3] > 0 else {
            throw ModelFileError("input has shape \(shape), expected [N, 3, H, W] (N images of 3 colour channels)", file: path)
        }
        try checkPixels(count: shape[0], height: shape[2], width: shape[3], what: "input \(shape)", file: path)
        let input = try record.makeTensor()
        return ImageBatch(sources: (0 ..< shape[0]).map { "\(path) input[\($0)]" }, input: input)
    }

    /// Refuses a batch of more than `pixelLimit` pixels before anything is allocated for it.
    static func checkPixels(count: Int, height: Int, width: Int, what: String, file: String) throws {
        let (area, overflowA) = height.multipliedReportingOverflow(by: width)
        let (pixels, overflowB) = area.multipliedReportingOverflow(by: count)
        guard !overflowA, !overflowB, pixels <= pixelLimit else {
            throw ModelFileError("\(what) is more than nnview runs at once (at most \(pixelLimit) pixels, N × H × W)", file: file)
        }
    }
}
