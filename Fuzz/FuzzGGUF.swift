// libFuzzer target: the GGUF reader (metadata key/values, tensor infos, data layout) and the dequantizer.
@testable import FileFormats
@testable import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = fuzzBuffer(data, size)
    if let archive = try? GGUFReader.read(buffer: buffer, source: "fuzz.gguf") {
        exerciseArchive(archive)
        for record in archive.tensors where record.elementCount <= fuzzElementLimit {
            _ = try? GGUFDequantizer.floats(of: record)
        }
    }
    return 0
}
