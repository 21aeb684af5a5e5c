import CImageCodecs

/// JPEG through libjpeg (the C side in CImageCodecs/shim.h: its longjmp error handling and Pillow's CMYK
/// conversion).
enum JPEGDecoding {
    /// What libjpeg may allocate: enough for a progressive image at `ImageDecoder.pixelLimit` (its coefficients
    /// take 2 bytes a sample), refused beyond.
    static let memoryLimit = 1_500_000_000

    static func decode(path: String) throws -> DecodedImage {
        guard let reader = nnview_jpeg_create() else { throw ImageError("out of memory", file: path) }
        defer { nnview_jpeg_close(reader) }
        func failure(_ stage: CodecFailure.Stage) -> ImageError {
            CodecFailure.error(format: "JPEG", stage: nnview_jpeg_file_opened(reader) != 0 ? stage : .opening,
                               libraryMessage: String(cString: nnview_jpeg_message(reader)),
                               truncated: nnview_jpeg_truncated(reader) != 0, path: path)
        }
        var width: UInt32 = 0, height: UInt32 = 0
        var components: Int32 = 0
        guard nnview_jpeg_open(reader, path, memoryLimit, &width, &height, &components) == 0 else {
            if nnview_jpeg_declared_empty(reader) != 0 {
                // libjpeg says "Empty JPEG image (DNL not supported)"; the size rules say it plainly.
                _ = try ImageDecoder.checkedByteCount(width: Int(reader.pointee.decompress.image_width),
                                                      height: Int(reader.pointee.decompress.image_height),
                                                      format: "JPEG", path: path)
            }
            throw failure(.header)
        }
        guard components == 1 || components == 3 || components == 4 else {
            throw ImageError("JPEG with \(components) colour components; only grey, YCbCr/RGB and CMYK are read",
                             file: path)
        }
        let byteCount = try ImageDecoder.checkedByteCount(width: Int(width), height: Int(height), format: "JPEG",
                                                          path: path)
        var rgb = [UInt8](repeating: 0, count: byteCount)
        let status = rgb.withUnsafeMutableBufferPointer { nnview_jpeg_read_rgb(reader, $0.baseAddress, byteCount) }
        guard status == 0 else { throw failure(.imageData) }
        return DecodedImage(checkedWidth: Int(width), height: Int(height), rgb: rgb)
    }
}
