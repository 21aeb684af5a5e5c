// libFuzzer target: .npy headers (the Python-literal dict) and .npz archives.
@testable import FileFormats
@testable import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = fuzzBuffer(data, size)
    if let record = try? NumPyReader.array(in: buffer, name: "fuzz", key: "fuzz.npy") {
        exerciseArchive(TensorArchive(tensors: [record], source: "fuzz.npy", format: "npy"))
    }
    if ZipArchiveReader.looksLikeZip(buffer.bytes), let zip = try? ZipArchiveReader(buffer: buffer, source: "fuzz.npz"),
       let archive = try? NumPyReader.readArchive(zip, inflateLimit: 1 << 20) {
        exerciseArchive(archive)
    }
    return 0
}
