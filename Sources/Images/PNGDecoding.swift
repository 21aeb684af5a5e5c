import CImageCodecs

/// PNG through libpng (the C side in CImageCodecs/shim.h: its longjmp error handling and Pillow's conversions).
enum PNGDecoding {
    static func decode(path: String) throws -> DecodedImage {
        guard let reader = nnview_png_create() else { throw ImageError("out of memory", file: path) }
        defer { nnview_png_close(reader) }
        func failure(_ stage: CodecFailure.Stage) -> ImageError {
            CodecFailure.error(format: "PNG", stage: nnview_png_file_opened(reader) != 0 ? stage : .opening,
                               libraryMessage: String(cString: nnview_png_message(reader)),
                               truncated: nnview_png_truncated(reader) != 0, path: path)
        }
        var width: UInt32 = 0, height: UInt32 = 0
        var bitDepth: Int32 = 0, colorType: Int32 = 0, interlaced: Int32 = 0
        guard nnview_png_open(reader, path, &width, &height, &bitDepth, &colorType, &interlaced) == 0 else {
            throw failure(.header)
        }
        let byteCount = try ImageDecoder.checkedByteCount(width: Int(width), height: Int(height), format: "PNG",
                                                          path: path)
        var rgb = [UInt8](repeating: 0, count: byteCount)
        let status = rgb.withUnsafeMutableBufferPointer { nnview_png_read_rgb(reader, $0.baseAddress, byteCount) }
        guard status == 0 else { throw failure(.imageData) }
        return DecodedImage(checkedWidth: Int(width), height: Int(height), rgb: rgb)
    }
}
