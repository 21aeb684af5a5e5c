#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one entry point for opening weights: sniffs the format from the content (never the extension alone) and
/// hands the path to the right reader. Every problem comes back as a `ModelFileError` naming the file.
public enum ModelFileReader {
    /// A format `sniff` can recognise from a file's first bytes (a zip is an npz or a PyTorch archive, told apart
    /// by its members; a folder is recognised by `stat` before any byte is read).
    public enum Format: String, Sendable {
        case safetensors, safetensorsIndex = "safetensors-index", npy, pytorchZip = "pytorch-zip"
        case pytorchLegacy = "pytorch-legacy", gguf, onnx
    }

    /// Opens the file or model folder at `path`.
    public static func open(path: String) throws -> TensorArchive {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ModelFileError("cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return try ModelFolderReader.read(path: path) }
        let buffer = try ByteBuffer.map(path: path)
        let format = try sniff(buffer, path: path)
        return try convert {
            switch format {
            case .safetensors: return try SafeTensorsReader.read(buffer: buffer, source: path)
            case .safetensorsIndex: return try SafeTensorsIndex.read(path: path)
            case .npy: return try NumPyReader.readArray(path: path)
            case .pytorchZip:
                let zip = try ZipArchiveReader(buffer: buffer, source: path)
                if isNumPyArchive(zip) { return try NumPyReader.readArchive(zip) }
                return try readPyTorch(path: path, buffer: buffer, zip: zip)
            case .pytorchLegacy: return try readPyTorch(path: path, buffer: buffer)
            case .gguf: return try readGGUF(path: path, buffer: buffer)
            case .onnx: return try readONNX(path: path, buffer: buffer)
            }
        }
    }

    /// Which format the bytes look like (zip archives are told apart later, from their members).
    public static func sniff(_ buffer: ByteBuffer, path: String = "") throws -> Format {
        let bytes = buffer.bytes
        if NumPyReader.looksLikeNumPy(bytes) { return .npy }
        if ZipArchiveReader.looksLikeZip(bytes) { return .pytorchZip }
        if bytes.count >= 4, bytes.prefix(4).elementsEqual("GGUF".utf8) { return .gguf }
        if SafeTensorsReader.looksLikeSafeTensors(bytes) { return .safetensors }
        if ONNXReader.looksLikeONNX(bytes) { return .onnx }
        if let first = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "{") {
            return .safetensorsIndex
        }
        // Pickle protocol 2+ starts with PROTO; the legacy torch.save format is a sequence of pickles.
        if bytes.count >= 2, bytes[0] == 0x80, (2 ... 5).contains(bytes[1]) { return .pytorchLegacy }
        // Protocols 0 and 1 have no PROTO: the legacy format's magic number is then the first thing, as text.
        if PyTorchCheckpoint.looksLikeLegacy(bytes) { return .pytorchLegacy }
        let head = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
        throw ModelFileError("unrecognised file format (first bytes: \(head.isEmpty ? "none, the file is empty" : head))", file: path)
    }

    /// An npz is a zip whose members are all `.npy` arrays.
    static func isNumPyArchive(_ zip: ZipArchiveReader) -> Bool {
        let files = zip.entries.filter { !$0.isDirectory }
        return !files.isEmpty && files.allSatisfy { $0.name.hasSuffix(".npy") }
    }

    /// Runs `body`, turning format-specific errors into `ModelFileError`.
    static func convert<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SafeTensorsError {
            throw error.modelFileError
        }
    }
}
