// libFuzzer target: the zip reader, the restricted unpickler and the PyTorch checkpoint reader (zip and legacy).
@testable import FileFormats
@testable import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPyTorch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = fuzzBuffer(data, size)
    // The unpickler on the raw bytes, with small limits so a valid deep pickle stays cheap.
    _ = try? RestrictedUnpickler.load(buffer.bytes, limits: .init(maxDepth: 100, maxObjects: 100_000, maxLongBytes: 64))
    // The zip reader on its own: every member, inflated with a small limit.
    if let zip = try? ZipArchiveReader(buffer: buffer, source: "fuzz.zip") {
        for entry in zip.entries {
            _ = try? zip.data(of: entry, limit: 1 << 20)
        }
    }
    if let archive = try? PyTorchCheckpoint.read(buffer: buffer, source: "fuzz.pt") {
        exerciseArchive(archive)
    }
    return 0
}
