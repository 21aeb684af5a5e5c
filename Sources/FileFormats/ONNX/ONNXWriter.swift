import Foundation

/// Writes an ONNX model again with some of its main graph's initializers replaced: the same `ModelProto` byte for
/// byte (graph, nodes, attributes, opsets, metadata, fields nnview does not know), except the `TensorProto`s that
/// change, with every length prefix above them re-encoded.
///
/// - A replaced initializer stored inline gets its new bytes as `raw_data` (its typed field, if it used one, is
///   dropped); one stored as external data stays external.
/// - Every tensor with external data (initializers, sub-graph and attribute tensors) is moved into one new data
///   file beside the new model, `MODEL.onnx.data` as torch.onnx names it, and its `location`, `offset` and
///   `length` point there. Ranges are laid out in order of first use, each once (tensors that shared bytes still
///   share them), back to back, with a tensor over 1 MiB starting at a multiple of 64 KiB (torch.onnx's layout, so
///   a torch export saved in place keeps its offsets and mapped loaders can map each large tensor).
/// - Both files are written atomically, the data file first.
public enum ONNXWriter {
    /// What a write did.
    public struct Report: Sendable {
        /// Initializers whose bytes were replaced.
        public var replaced: Int
        /// Tensors whose data is in the new external data file.
        public var externalTensors: Int
        /// The external data file written beside the model (nil when the model has no external data).
        public var dataFile: String?
    }

    /// Tensors larger than this start at a multiple of `largeTensorAlignment` in the data file.
    static let alignmentThreshold = 1 << 20
    static let largeTensorAlignment = 1 << 16

    /// The external data file name that goes with the model file at `path` (`model.onnx` → `model.onnx.data`).
    public static func dataFileName(for path: String) -> String {
        (path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path) + ".data"
    }

    /// Writes the model read from `original` to `path`, with the main graph's initializers named in `replacing`
    /// given new bytes (little-endian, in the initializer's own data type and shape). Unknown names, wrong byte
    /// counts and initializers of types nnview does not read are refused before anything is written.
    @discardableResult
    public static func write(original: String, replacing: [String: [UInt8]], to path: String,
                             overwrite: Bool = true) throws -> Report {
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw ModelFileError("already exists; not overwriting it", file: path)
        }
        let buffer = try ByteBuffer.map(path: original)
        let folder = ONNXReader.folder(of: original)
        do {
            // The whole model is read first, so every limit and external data file is checked as on opening it.
            _ = try ONNXParser(buffer: buffer, externalDataFolder: folder).model(source: original)
        } catch let error as ModelFileError {
            throw error.inFile(original)
        }
        let rewriter = ONNXRewriter(buffer: buffer, folder: folder, replacing: replacing,
                                    dataLocation: dataFileName(for: path))
        let model: ProtobufChunks
        do {
            model = try rewriter.model()
        } catch let error as ModelFileError {
            throw error.inFile(original)
        }
        let missing = Set(replacing.keys).subtracting(rewriter.replacedNames)
        if let name = missing.sorted().first {
            throw ModelFileError("no initializer \"\(name)\" in the main graph to replace", file: original)
        }
        let dataPath: String?
        if rewriter.data.isEmpty {
            dataPath = nil
        } else {
            let dataFile = (path.lastIndex(of: "/").map { String(path[...$0]) } ?? "") + dataFileName(for: path)
            try AtomicFileWriter.write(to: dataFile, overwrite: overwrite) { write in try rewriter.data.write(write) }
            dataPath = dataFile
        }
        try AtomicFileWriter.write(to: path, overwrite: overwrite) { write in try model.write(original: buffer.bytes, write) }
        return Report(replaced: rewriter.replacedNames.count, externalTensors: rewriter.data.tensorCount, dataFile: dataPath)
    }
}

/// The new external data file: distinct byte ranges in order of first use.
final class ONNXExternalDataLayout {
    /// One range of the file.
    private struct Slot {
        var offset: Int
        /// The bytes: a mapped original's storage or new bytes.
        var storage: StorageReference?
        var bytes: [UInt8]?
    }

    private var slots: [Slot] = []
    /// Offset of each range placed so far, by its identity.
    private var offsets: [String: Int] = [:]
    /// New bytes placed so far, by identity, to share a slot only with identical bytes.
    private var placedBytes: [String: [UInt8]] = [:]
    private(set) var size = 0
    private(set) var tensorCount = 0

    var isEmpty: Bool { tensorCount == 0 }

    /// The offset of `storage`'s bytes (an unedited tensor), placing them if no tensor placed the same range yet.
    func place(_ storage: StorageReference) -> Int {
        tensorCount += 1
        if let offset = offsets[storage.key] { return offset }
        let offset = nextOffset(storage.byteCount)
        slots.append(Slot(offset: offset, storage: storage))
        offsets[storage.key] = offset
        size = offset + storage.byteCount
        return offset
    }

    /// The offset of new `bytes` replacing the range `key` of the original: shared only with a replacement of the
    /// same range by the same bytes (a tied tensor edited once).
    func place(_ bytes: [UInt8], replacing key: String) -> Int {
        tensorCount += 1
        let identity = "edited:" + key
        if let offset = offsets[identity], placedBytes[identity] == bytes { return offset }
        let offset = nextOffset(bytes.count)
        slots.append(Slot(offset: offset, bytes: bytes))
        if offsets[identity] == nil {
            offsets[identity] = offset
            placedBytes[identity] = bytes
        }
        size = offset + bytes.count
        return offset
    }

    private func nextOffset(_ byteCount: Int) -> Int {
        guard byteCount > ONNXWriter.alignmentThreshold else { return size }
        let alignment = ONNXWriter.largeTensorAlignment
        return (size + alignment - 1) / alignment * alignment
    }

    /// Writes the file: each range at its offset, zeros between.
    func write(_ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var position = 0
        let zeros = [UInt8](repeating: 0, count: ONNXWriter.largeTensorAlignment)
        for slot in slots {
            if slot.offset > position {
                try zeros.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0 ..< slot.offset - position])) }
            }
            if let storage = slot.storage {
                try write(storage.bytes)
                position = slot.offset + storage.byteCount
            } else if let bytes = slot.bytes {
                try bytes.withUnsafeBytes { try write($0) }
                position = slot.offset + bytes.count
            }
        }
    }
}

/// Walks a `ModelProto` and rewrites the messages that hold a tensor to change (`ONNXWriter`). Each message
/// function returns nil when nothing inside it changed, so its original bytes are copied as they were.
final class ONNXRewriter {
    let buffer: ByteBuffer
    let parser: ONNXParser
    let replacing: [String: [UInt8]]
    let dataLocation: String
    let data = ONNXExternalDataLayout()
    private(set) var replacedNames = Set<String>()

    init(buffer: ByteBuffer, folder: String, replacing: [String: [UInt8]], dataLocation: String) {
        self.buffer = buffer
        self.parser = ONNXParser(buffer: buffer, externalDataFolder: folder)
        self.replacing = replacing
        self.dataLocation = dataLocation
    }

    /// How a message's field is rewritten.
    private enum FieldKind {
        case graph(main: Bool), node, attribute, tensor(mainInitializer: Bool), sparseTensor, function, trainingInfo
    }

    /// The whole file.
    func model() throws -> ProtobufChunks {
        let whole = 0 ..< buffer.count
        return try message(whole, "ModelProto") { number in
            switch number {
            case 7: return .graph(main: true)
            case 20: return .trainingInfo
            case 25: return .function
            default: return nil
            }
        } ?? {
            var copy = ProtobufChunks()
            copy.append(original: whole)
            return copy
        }()
    }

    /// Copies the message in `range` field by field, rewriting the length-delimited fields `kind` names; nil if
    /// none of them changed.
    private func message(_ range: Range<Int>, _ what: String, _ kind: (Int) -> FieldKind?) throws -> ProtobufChunks? {
        var reader = ProtobufReader(bytes: buffer.bytes, range: range)
        var output = ProtobufChunks()
        var changed = false
        var copyStart = range.lowerBound
        while true {
            let fieldStart = reader.position
            guard let (number, wire) = try reader.nextField(in: what) else { break }
            guard wire == .lengthDelimited, let fieldKind = kind(number) else {
                try reader.skip(wire, "\(what) field \(number)")
                continue
            }
            let body = try reader.lengthDelimited("\(what) field \(number)")
            guard let rewritten = try rewrite(body, fieldKind) else { continue }
            output.append(original: copyStart ..< fieldStart)
            output.field(number, rewritten)
            copyStart = reader.position
            changed = true
        }
        guard changed else { return nil }
        output.append(original: copyStart ..< range.upperBound)
        return output
    }

    private func rewrite(_ body: Range<Int>, _ kind: FieldKind) throws -> ProtobufChunks? {
        switch kind {
        case .graph(let main):
            return try message(body, "GraphProto") { number in
                switch number {
                case 1: return .node
                case 5: return .tensor(mainInitializer: main)
                case 15: return .sparseTensor
                default: return nil
                }
            }
        case .node:
            return try message(body, "NodeProto") { $0 == 5 ? .attribute : nil }
        case .attribute:
            return try message(body, "AttributeProto") { number in
                switch number {
                case 5, 10: return .tensor(mainInitializer: false)
                case 6, 11: return .graph(main: false)
                case 22, 23: return .sparseTensor
                default: return nil
                }
            }
        case .sparseTensor:
            return try message(body, "SparseTensorProto") { $0 == 1 || $0 == 2 ? .tensor(mainInitializer: false) : nil }
        case .function:
            return try message(body, "FunctionProto") { $0 == 7 ? .node : nil }
        case .trainingInfo:
            return try message(body, "TrainingInfoProto") { $0 == 1 || $0 == 2 ? .graph(main: false) : nil }
        case .tensor(let mainInitializer):
            return try tensor(body, mainInitializer: mainInitializer)
        }
    }

    /// `TensorProto` fields that hold or locate its values.
    private static let dataFields: Set<Int> = [4, 5, 6, 7, 9, 10, 11, 13]

    /// A tensor rewritten when it is replaced or has external data; nil otherwise.
    private func tensor(_ range: Range<Int>, mainInitializer: Bool) throws -> ProtobufChunks? {
        var reader = ProtobufReader(bytes: buffer.bytes, range: range)
        let described = try parser.tensor(&reader, what: "tensor")
        let replacement = mainInitializer ? replacing[described.name] : nil
        let label = "initializer \"\(described.name)\""
        var isExternal = false
        var entries: [(key: String, value: String)] = []
        var scan = ProtobufReader(bytes: buffer.bytes, range: range)
        while let (number, wire) = try scan.nextField(in: "tensor") {
            switch number {
            case 14: isExternal = try parser.int(&scan, wire, "data_location") == 1
            case 13: entries.append(try parser.stringPair(&scan, wire, "external_data"))
            default: try scan.skip(wire, "tensor")
            }
        }
        guard replacement != nil || isExternal else { return nil }
        var storage = described.storage
        if let replacement {
            guard let type = described.dataType.elementType, let bits = type.bitsPerElement else {
                throw ModelFileError("\(label) has ONNX type \(described.dataType.name), which nnview does not write")
            }
            let byteCount = described.elementCount * bits / 8
            guard replacement.count == byteCount else {
                throw ModelFileError("\(label): \(described.dataType.name) \(described.dims) needs \(byteCount) bytes, "
                    + "the replacement has \(replacement.count)")
            }
            replacedNames.insert(described.name)
        }
        if isExternal && storage == nil {
            // A type nnview does not read: its bytes are copied by the length the file gives.
            guard let length = entries.last(where: { $0.key == "length" }).flatMap({ Int($0.value) }), length >= 0 else {
                throw ModelFileError("tensor \"\(described.name)\" (\(described.dataType.name)) has external data "
                    + "without a length, which nnview cannot copy")
            }
            storage = try parser.externalStorage(entries, byteCount: length, label: "tensor \"\(described.name)\"").1
        }
        // The new data fields go where the first old one was, so the field order stays the exporter's.
        var newData = ProtobufChunks()
        if isExternal, let storage {
            let offset = replacement.map { data.place($0, replacing: storage.key) } ?? data.place(storage)
            let length = replacement?.count ?? storage.byteCount
            for (key, value) in [("location", dataLocation), ("offset", String(offset)), ("length", String(length))] {
                var entry = ProtobufChunks()
                entry.field(1, string: key)
                entry.field(2, string: value)
                newData.field(13, entry)
            }
        } else if let replacement {
            newData.field(9, bytes: replacement)
        }
        var output = ProtobufChunks()
        var fields = ProtobufReader(bytes: buffer.bytes, range: range)
        var placed = false
        while true {
            let fieldStart = fields.position
            guard let (number, wire) = try fields.nextField(in: "tensor") else { break }
            try fields.skip(wire, "tensor")
            if Self.dataFields.contains(number) {
                if !placed { output.append(newData) }
                placed = true
            } else {
                output.append(original: fieldStart ..< fields.position)
            }
        }
        if !placed { output.append(newData) }
        return output
    }
}
