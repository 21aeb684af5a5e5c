/// The header of a `.npy` array (formats.md §4): version, dtype description, order and shape.
struct NumPyHeader {
    var type: ElementType
    var fortranOrder: Bool
    var shape: [Int]
    /// Where the data starts in the file.
    var dataOffset: Int

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    /// NumPy's own `max_header_size` default.
    static let maximumHeaderLength = 10_000

    static func looksLikeNumPy(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic)
    }

    static func read(_ bytes: UnsafeRawBufferPointer) throws -> NumPyHeader {
        let reader = ByteReader(bytes)
        guard looksLikeNumPy(bytes) else { throw ModelFileError("not a .npy array: missing the \\x93NUMPY magic") }
        let major = try reader.u8(6, "npy version")
        let minor = try reader.u8(7, "npy version")
        guard [1, 2, 3].contains(major), minor == 0 else {
            throw ModelFileError("unsupported .npy version \(major).\(minor) (expected 1.0, 2.0 or 3.0)")
        }
        let lengthSize = major == 1 ? 2 : 4
        let headerLength = major == 1 ? Int(try reader.u16(8, "npy header length")) : Int(try reader.u32(8, "npy header length"))
        guard headerLength <= maximumHeaderLength else {
            throw ModelFileError(".npy header is \(headerLength) bytes, more than NumPy's \(maximumHeaderLength)-byte limit")
        }
        let headerBytes = try reader.slice(8 + lengthSize, headerLength, ".npy header")
        let text: String
        if major == 3 {
            guard let decoded = String(validating: headerBytes, as: UTF8.self) else {
                throw ModelFileError(".npy v3 header is not valid UTF-8")
            }
            text = decoded
        } else {
            text = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))  // latin1
        }
        let dictionary = try PythonLiteralParser.parseDictionary(text)
        let keys = Set(dictionary.keys)
        guard keys == ["descr", "fortran_order", "shape"] else {
            throw ModelFileError(".npy header keys are \(keys.sorted()), expected exactly descr, fortran_order and shape")
        }
        guard case .string(let descr)? = dictionary["descr"] else {
            throw ModelFileError(".npy descr is not a simple type string (structured dtypes are not supported)")
        }
        guard case .bool(let fortranOrder)? = dictionary["fortran_order"] else {
            throw ModelFileError(".npy fortran_order is not True or False")
        }
        guard case .tuple(let items)? = dictionary["shape"] else { throw ModelFileError(".npy shape is not a tuple") }
        var shape: [Int] = []
        for item in items {
            guard case .integer(let size) = item, size >= 0 else {
                throw ModelFileError(".npy shape \(items) holds something that is not a non-negative integer")
            }
            shape.append(size)
        }
        return NumPyHeader(type: try elementType(descr), fortranOrder: fortranOrder, shape: shape,
                           dataOffset: 8 + lengthSize + headerLength)
    }

    /// `<f4` → `.f32`; big-endian data, object arrays and complex numbers are refused by name.
    static func elementType(_ descr: String) throws -> ElementType {
        guard descr.count >= 2 else { throw ModelFileError("unknown .npy dtype '\(descr)'") }
        var order = descr.first!
        var code = String(descr.dropFirst())
        if !"<>|=".contains(order) { order = "|"; code = descr }
        if code == "O" { throw ModelFileError(".npy object arrays ('\(descr)') hold pickles and are refused") }
        let types: [String: ElementType] = [
            "f2": .f16, "f4": .f32, "f8": .f64, "i1": .i8, "i2": .i16, "i4": .i32, "i8": .i64,
            "u1": .u8, "u2": .u16, "u4": .u32, "u8": .u64, "b1": .bool,
        ]
        guard let type = types[code] else { throw ModelFileError("unsupported .npy dtype '\(descr)'") }
        if order == ">", (type.bitsPerElement ?? 0) > 8 {
            throw ModelFileError("big-endian .npy dtype '\(descr)' is not supported; save it little-endian ('<\(code)')")
        }
        return type
    }
}
