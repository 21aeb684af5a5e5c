// libFuzzer target: the safetensors header parser and reader, then element access on what it accepted.
@testable import FileFormats
@testable import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = fuzzBuffer(data, size)
    _ = SafeTensorsReader.looksLikeSafeTensors(buffer.bytes)
    if let archive = try? SafeTensorsReader.read(buffer: buffer, source: "fuzz.safetensors") {
        exerciseArchive(archive)
    }
    // The JSON parser on its own, since an index file is parsed by it too.
    _ = try? JSONParser.parse(buffer.bytes)
    return 0
}
