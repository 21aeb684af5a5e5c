#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `TensorProto`: where a tensor's bytes are. `raw_data` and external data become storage inside a mapping; the
/// typed fields are converted once into owned storage, after their element count is checked against the shape.
extension ONNXParser {
    /// The fields of a `TensorProto` that locate its data, gathered in one pass.
    private struct TensorFields {
        var dims: [Int] = []
        var dataType = 0
        var name = ""
        var rawData: Range<Int>?
        var external: [(key: String, value: String)] = []
        var isExternal = false
        var typedFields = Set<Int>()
    }

    /// A `TensorProto` (an initializer or an attribute's tensor) occupying `reader`'s message; `what` names it in
    /// messages until its own name is known.
    func tensor(_ reader: inout ProtobufReader, what: String) throws -> ONNXTensor {
        try charge()
        let messageStart = reader.position
        let message = reader
        var fields = TensorFields()
        while let (number, wire) = try reader.nextField(in: what) {
            switch number {
            case 1:
                try reader.forEachScalar(wire: wire, element: .varint, "dims of \(what)") {
                    try charge()
                    guard fields.dims.count < ONNXLimits.maxRank else {
                        throw ModelFileError("\(what) has more than \(ONNXLimits.maxRank) dimensions")
                    }
                    fields.dims.append(Int(Int64(bitPattern: $0)))
                }
            case 2: fields.dataType = try int(&reader, wire, "data_type of \(what)")
            case 3: throw ModelFileError("\(what) is a segment of a larger tensor, which nnview does not read")
            case 8: fields.name = try string(&reader, wire, "name of \(what)")
            case 9:
                try ProtobufReader.expect(wire, .lengthDelimited, "raw_data of \(what)")
                fields.rawData = try reader.lengthDelimited("raw_data of \(what)")
            case 13: fields.external.append(try stringPair(&reader, wire, "external_data of \(what)"))
            case 14: fields.isExternal = try int(&reader, wire, "data_location of \(what)") == 1
            case 4, 5, 6, 7, 10, 11:
                fields.typedFields.insert(number)
                try reader.skip(wire, "data of \(what)")
            default: try reader.skip(wire, "TensorProto field \(number)")
            }
        }
        let label = fields.name.isEmpty ? what : "tensor \"\(fields.name)\""
        if let negative = fields.dims.first(where: { $0 < 0 }) {
            throw ModelFileError("\(label) has a negative dimension \(negative) in dims \(fields.dims)")
        }
        return try describe(fields, label: label, message: message, start: messageStart)
    }

    private func describe(_ fields: TensorFields, label: String, message: ProtobufReader, start: Int) throws -> ONNXTensor {
        var count = 1
        for size in fields.dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ModelFileError("\(label): dims \(fields.dims) have more elements than memory can address") }
            count = product
        }
        let dataType = ONNXDataType(rawValue: fields.dataType)
        var tensor = ONNXTensor(name: fields.name, dataType: dataType, dims: fields.dims, storage: nil, externalLocation: nil)
        guard let type = dataType.elementType, let width = type.bitsPerElement.map({ $0 / 8 }) else {
            // Kept by name and shape only; `ONNXTensor.record` refuses it when its values are asked for.
            return tensor
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw ModelFileError("\(label): dims \(fields.dims) have more bytes than memory can address") }
        if fields.isExternal {
            let (location, storage) = try externalStorage(fields.external, byteCount: byteCount, label: label)
            tensor.storage = storage
            tensor.externalLocation = location
        } else if let raw = fields.rawData {
            guard raw.count == byteCount else {
                throw ModelFileError("\(label): \(dataType.name) dims \(fields.dims) need \(byteCount) bytes but raw_data holds \(raw.count)")
            }
            tensor.storage = StorageReference(buffer: buffer, byteOffset: raw.lowerBound, byteCount: raw.count,
                                              key: "onnx@\(raw.lowerBound)")
        } else {
            tensor.storage = try typedStorage(fields, type: type, count: count, label: label, message: message, start: start)
        }
        return tensor
    }

    /// The field a type's values are written to when `raw_data` is not used (onnx.proto's comments on each field):
    /// its number and the wire type of one element.
    private static func typedField(of type: ElementType) -> (number: Int, name: String, element: ProtobufReader.WireType) {
        switch type {
        case .f32: return (4, "float_data", .fixed32)
        case .i64: return (7, "int64_data", .varint)
        case .f64: return (10, "double_data", .fixed64)
        // int32_data holds int32, int16, int8, uint8 and bool values, and the bit patterns of float16 and bfloat16.
        default: return (5, "int32_data", .varint)
        }
    }

    /// Converts the typed field of `type` into owned storage: counts its values first (checked against the shape
    /// and `TensorLimits.maxElements`), then allocates and fills.
    private func typedStorage(_ fields: TensorFields, type: ElementType, count: Int, label: String,
                              message: ProtobufReader, start: Int) throws -> StorageReference {
        let field = Self.typedField(of: type)
        if count == 0 {
            return StorageReference(buffer: ByteBuffer(copying: []), byteOffset: 0, byteCount: 0, key: "onnx@\(start)")
        }
        guard fields.typedFields.contains(field.number) else {
            throw ModelFileError("\(label) (\(ONNXDataType(rawValue: fields.dataType).name), dims \(fields.dims)) has no data: "
                + "no raw_data, no external data and no \(field.name)")
        }
        var found = 0
        try forEachTypedValue(field, in: message) { _ in found += 1 }
        guard found == count else {
            throw ModelFileError("\(label): dims \(fields.dims) need \(count) values but \(field.name) holds \(found)")
        }
        _ = try TensorLimits.checkedElementCount(fields.dims, what: label)
        let width = type.bitsPerElement! / 8
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count * width, alignment: 64)
        var index = 0
        // The first pass accepted the same bytes, so this one cannot fail; the memory is released if it does anyway.
        do { try forEachTypedValue(field, in: message) { value in
            let target = memory + index * width
            switch type {
            case .f32: target.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, as: UInt32.self)
            case .i64, .f64: target.storeBytes(of: value.littleEndian, as: UInt64.self)
            case .i32: target.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, as: UInt32.self)
            case .i16, .f16, .bf16: target.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
            case .bool: target.storeBytes(of: value == 0 ? UInt8(0) : 1, as: UInt8.self)
            default: target.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            }
            index += 1
        } } catch {
            memory.deallocate()
            throw error
        }
        let owned = ByteBuffer(adopting: memory, count: count * width)
        return StorageReference(buffer: owned, byteOffset: 0, byteCount: owned.count, key: "onnx@\(start)")
    }

    /// Calls `body` with every value of the typed `field` in the tensor message `message` (a fresh copy of the
    /// reader positioned at the message's start), packed or not.
    private func forEachTypedValue(_ field: (number: Int, name: String, element: ProtobufReader.WireType),
                                   in message: ProtobufReader, _ body: (UInt64) throws -> Void) throws {
        var reader = message
        while let (number, wire) = try reader.nextField(in: field.name) {
            if number == field.number {
                try reader.forEachScalar(wire: wire, element: field.element, field.name, body)
            } else {
                try reader.skip(wire, field.name)
            }
        }
    }

    /// The storage of external data: `location` resolved inside the model's folder (absolute paths and paths that
    /// leave it are refused), mapped, and `offset`/`length` checked against the file's size.
    func externalStorage(_ entries: [(key: String, value: String)], byteCount: Int,
                                 label: String) throws -> (String, StorageReference) {
        func value(_ key: String) -> String? { entries.last { $0.key == key }?.value }
        guard let location = value("location"), !location.isEmpty else {
            throw ModelFileError("\(label) has external data without a location")
        }
        guard let folder = externalDataFolder else {
            throw ModelFileError("\(label) has external data (\(location)), which needs the model's folder")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw ModelFileError("\(label): external data location \"\(location)\" leaves the model's folder")
        }
        let file = try externalFile(location, folder: folder, label: label)
        func number(_ key: String) throws -> Int? {
            guard let text = value(key) else { return nil }
            guard let parsed = Int(text), parsed >= 0 else {
                throw ModelFileError("\(label): external data \(key) \"\(text.prefix(40))\" is not a byte count")
            }
            return parsed
        }
        let offset = try number("offset") ?? 0
        guard offset <= file.count else {
            throw ModelFileError("\(label): external data offset \(offset) is past the end of \(location) (\(file.count) bytes)")
        }
        let length = try number("length") ?? (file.count - offset)
        guard length <= file.count - offset else {
            throw ModelFileError("\(label): external data \(offset)..<\(offset + length) runs past the end of \(location) "
                + "(\(file.count) bytes)")
        }
        guard length == byteCount else {
            throw ModelFileError("\(label): needs \(byteCount) bytes but its external data in \(location) has length \(length)")
        }
        return (location, StorageReference(buffer: file, byteOffset: offset, byteCount: length,
                                           key: "\(location)@\(offset)+\(length)"))
    }

    /// The mapped external file `location` (mapped once per model), after checking that the real path (symbolic
    /// links resolved) stays inside `folder`.
    private func externalFile(_ location: String, folder: String, label: String) throws -> ByteBuffer {
        if let mapped = externalFiles[location] { return mapped }
        let path = folder + "/" + location
        guard let realFolder = realpath(folder, nil) else {
            throw ModelFileError("cannot resolve the model's folder \(folder)")
        }
        defer { free(realFolder) }
        guard let realFile = realpath(path, nil) else {
            throw ModelFileError("\(label): external data file \(location) cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { free(realFile) }
        let folderText = String(cString: realFolder)
        let fileText = String(cString: realFile)
        guard fileText.hasPrefix(folderText.hasSuffix("/") ? folderText : folderText + "/") else {
            throw ModelFileError("\(label): external data file \(location) resolves outside the model's folder")
        }
        let mapped = try ByteBuffer.map(path: fileText)
        externalFiles[location] = mapped
        return mapped
    }
}
