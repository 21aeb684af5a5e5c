/// Reads NumPy `.npy` arrays and `.npz` archives into records whose bytes stay where they are: a `.npy` file and
/// stored `.npz` members are mapped in place; deflated members are inflated (size-limited) first.
public enum NumPyReader {
    /// Maps and reads the `.npy` file at `path` (one tensor, named after the file without `.npy`).
    public static func readArray(path: String) throws -> TensorArchive {
        let buffer = try ByteBuffer.map(path: path)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let name = fileName.hasSuffix(".npy") ? String(fileName.dropLast(4)) : fileName
        do {
            let record = try array(in: buffer, name: name, key: path)
            return TensorArchive(tensors: [record], source: path, format: "npy")
        } catch let error as ModelFileError {
            throw error.inFile(path)
        }
    }

    /// Maps and reads the `.npz` archive at `path`; keys are member names without `.npy`.
    public static func readArchive(path: String, inflateLimit: Int = ZipArchiveReader.defaultInflateLimit) throws -> TensorArchive {
        try readArchive(ZipArchiveReader(path: path), inflateLimit: inflateLimit)
    }

    /// Reads the `.npz` members of an already opened zip.
    public static func readArchive(_ zip: ZipArchiveReader, inflateLimit: Int = ZipArchiveReader.defaultInflateLimit) throws -> TensorArchive {
        var records: [TensorRecord] = []
        for entry in zip.entries where !entry.isDirectory {
            guard entry.name.hasSuffix(".npy") else {
                throw ModelFileError("npz member \"\(entry.name)\" is not a .npy array", file: zip.source)
            }
            let name = String(entry.name.dropLast(4))
            do {
                let bytes = try zip.data(of: entry, limit: inflateLimit)
                records.append(try array(in: bytes, name: name, key: entry.name))
            } catch let error as ModelFileError {
                throw ModelFileError("npz member \"\(entry.name)\": \(error.message)", file: zip.source)
            }
        }
        return TensorArchive(tensors: records, source: zip.source, format: "npz")
    }

    /// Whether `bytes` start with the `.npy` magic.
    public static func looksLikeNumPy(_ bytes: UnsafeRawBufferPointer) -> Bool { NumPyHeader.looksLikeNumPy(bytes) }

    /// One array from a whole `.npy` file in `buffer`; the record points into `buffer`.
    static func array(in buffer: ByteBuffer, name: String, key: String) throws -> TensorRecord {
        let header = try NumPyHeader.read(buffer.bytes)
        var count = 1
        for size in header.shape { count = try CheckedArithmetic.multiply(count, size, ".npy shape \(header.shape) element count") }
        let byteCount = try CheckedArithmetic.multiply(count, (header.type.bitsPerElement ?? 8) / 8, ".npy data size")
        let present = buffer.count - header.dataOffset
        guard byteCount <= present else {
            throw ModelFileError(".npy shape \(header.shape) of \(header.type) needs \(byteCount) data bytes but only \(present) are present")
        }
        guard byteCount == present else {
            throw ModelFileError(".npy has \(present - byteCount) bytes after the data of shape \(header.shape)")
        }
        var strides = TensorRecord.rowMajorStrides(header.shape)
        if header.fortranOrder {
            // Column-major: the first axis varies fastest.
            var step = 1
            for axis in header.shape.indices {
                strides[axis] = step
                // Saturates like rowMajorStrides: only an empty array can get here with an overflowing product.
                let (next, overflow) = step.multipliedReportingOverflow(by: max(header.shape[axis], 1))
                step = overflow ? Int.max : next
            }
        }
        return TensorRecord(name: name, type: header.type, shape: header.shape, strides: strides,
                            storage: StorageReference(buffer: buffer, byteOffset: header.dataOffset, byteCount: byteCount, key: key))
    }
}
