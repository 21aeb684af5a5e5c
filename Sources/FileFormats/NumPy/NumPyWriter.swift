/// Writes `.npy` arrays (format version 1.0) and `.npz` archives (a stored zip of `.npy` members, what
/// `numpy.savez` writes), atomically.
///
/// NumPy has no bfloat16, float8 or ggml block types: those are converted to float32 values (`convertedNames`
/// says which). Strided views are gathered into C order.
public enum NumPyWriter {
    /// Writes every tensor of `tensors` as member `NAME.npy` of an npz at `path`. Returns the names whose values
    /// were converted to float32 because NumPy cannot store their type.
    @discardableResult
    public static func writeArchive(_ tensors: [TensorRecord], to path: String, overwrite: Bool = true) throws -> [String] {
        var members: [ZipWriter.Member] = []
        var converted: [String] = []
        for record in tensors {
            let (header, data, wasConverted) = try encode(record, path: path)
            if wasConverted { converted.append(record.name) }
            members.append(ZipWriter.Member(name: record.name + ".npy", chunks: [ByteBuffer(copying: header), data]))
        }
        try ZipWriter.write(members, to: path, overwrite: overwrite)
        return converted
    }

    /// Writes one tensor as the `.npy` file at `path`. Returns whether its values were converted to float32.
    @discardableResult
    public static func writeArray(_ record: TensorRecord, to path: String, overwrite: Bool = true) throws -> Bool {
        let (header, data, converted) = try encode(record, path: path)
        try AtomicFileWriter.write(to: path, overwrite: overwrite) { write in
            try header.withUnsafeBytes { try write($0) }
            if data.count > 0 { try write(data.bytes) }
        }
        return converted
    }

    /// The NumPy `descr` of a type NumPy stores as is, nil for the others.
    static func descr(of type: ElementType) -> String? {
        switch type {
        case .f64: "<f8"
        case .f32: "<f4"
        case .f16: "<f2"
        case .i64: "<i8"
        case .i32: "<i4"
        case .i16: "<i2"
        case .i8: "|i1"
        case .u64: "<u8"
        case .u32: "<u4"
        case .u16: "<u2"
        case .u8: "|u1"
        case .bool: "|b1"
        default: nil
        }
    }

    /// The version 1.0 header for `descr` and `shape`: magic, version, length, and the dictionary padded with
    /// spaces and a newline so the data starts at a multiple of 64 bytes.
    static func header(descr: String, shape: [Int], path: String) throws -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dictionary = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        let unpadded = 10 + dictionary.count + 1
        dictionary += Array(repeating: 0x20, count: (64 - unpadded % 64) % 64)
        dictionary.append(0x0A)
        guard dictionary.count <= 0xFFFF else {
            throw ModelFileError("a .npy header of \(dictionary.count) bytes needs format version 2 (not written)", file: path)
        }
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes.appendLittleEndian(UInt16(dictionary.count))
        return bytes + dictionary
    }

    /// The header and C-order data of `record`, converted to float32 when NumPy cannot hold its type.
    static func encode(_ record: TensorRecord, path: String) throws -> (header: [UInt8], data: ByteBuffer, converted: Bool) {
        do {
            if let descr = descr(of: record.type) {
                return (try header(descr: descr, shape: record.shape, path: path), try record.rowMajorBytes(), false)
            }
            let values = try record.floatValues(limit: TensorLimits.maxElements)
            let data = values.withUnsafeBytes { ByteBuffer(copying: $0) }
            return (try header(descr: "<f4", shape: record.shape, path: path), data, true)
        } catch let error as ModelFileError {
            // Decoders that already name the tensor (`tensor q.TQ1_0: …`) are not prefixed a second time.
            if error.message.hasPrefix("tensor \(record.name):") { throw error }
            throw ModelFileError("tensor \"\(record.name)\": \(error.message)", file: error.file)
        }
    }
}
