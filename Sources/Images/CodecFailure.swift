/// The one-line error for a library's failure while decoding `format` (`"PNG"`, `"JPEG"`).
enum CodecFailure {
    /// Where decoding was when it failed.
    enum Stage: String {
        case opening = ""
        case header = "in the header"
        case imageData = "in the image data"
    }

    static func error(format: String, stage: Stage, libraryMessage: String, truncated: Bool, path: String)
        -> ImageError
    {
        switch stage {
        case .opening: return ImageError("cannot open: \(libraryMessage)", file: path)
        case _ where truncated: return ImageError("truncated \(format): the file ends \(stage.rawValue)", file: path)
        default: return ImageError("corrupt \(format) \(stage.rawValue): \(libraryMessage)", file: path)
        }
    }
}
