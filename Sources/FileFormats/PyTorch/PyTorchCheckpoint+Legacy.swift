extension PyTorchCheckpoint {
    /// `0x1950a86a20f9469cfc6c` as LONG1 pickles it (little-endian two's complement).
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    static let legacyProtocol = 1001

    /// Whether `bytes` start with the legacy format's first pickle: the magic number as LONG1, after PROTO (and,
    /// from `pickle_protocol=4` on, a FRAME), or alone (protocol 1), or as protocol 0's text `L…L`.
    static func looksLikeLegacy(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        if bytes.count >= 2, bytes[0] == 0x80 {
            start = 2
            if bytes.count >= 11, bytes[2] == 0x95 { start = 11 }  // FRAME and its 8-byte length
        }
        if bytes.count >= start + 12, bytes[start] == 0x8A, bytes[start + 1] == 10,
           Array(bytes[(start + 2) ..< (start + 12)]) == legacyMagic {
            return true
        }
        let text = Array("L119547037146038801333356L\n".utf8)
        return bytes.count >= text.count && Array(bytes[0 ..< text.count]) == text
    }

    /// The pre-1.6 format: pickles of magic, protocol, sys_info, the object and the storage keys, then per key
    /// `i64 numel` and the raw little-endian elements. Storages are slices of the mapped file.
    static func readLegacy(buffer: ByteBuffer, source: String) throws -> TensorArchive {
        let bytes = buffer.bytes
        let (magic, afterMagic) = try RestrictedUnpickler.load(bytes, at: 0)
        guard magic.root == .bigInt(legacyMagic) else { throw ModelFileError("not a PyTorch checkpoint (bad magic number)") }
        let (version, afterVersion) = try RestrictedUnpickler.load(bytes, at: afterMagic)
        guard version.root == .int(legacyProtocol) else {
            throw ModelFileError("unsupported legacy protocol \(version.describe(version.root)) (expected 1001)")
        }
        let (systemInfo, afterInfo) = try RestrictedUnpickler.load(bytes, at: afterVersion)
        if let info = systemInfo.container(systemInfo.root), info.kind == .dict,
           let position = info.keys.firstIndex(of: .string("little_endian")), info.values[position] == .bool(false) {
            throw ModelFileError("big-endian legacy checkpoint is not supported")
        }
        let (object, afterObject) = try RestrictedUnpickler.load(bytes, at: afterInfo)
        let (keyList, dataStart) = try RestrictedUnpickler.load(bytes, at: afterObject)
        guard let keyValues = keyList.sequence(keyList.root) else {
            throw ModelFileError("legacy storage key list is \(keyList.describe(keyList.root))")
        }

        // Each key's element size comes from the persistent ids that name it.
        var classByKey: [String: String] = [:]
        if object.containers.contains(where: { box in box.kind == .persistentID && box.items.first.map { value in
            if case .string = value { return true } else { return false } } == true }) {
            // Protocol 0 writes a persistent id as the text of the tuple; torch.load cannot read that back either.
            throw ModelFileError("the storage ids are text (pickle_protocol=0), which torch.load cannot read back "
                                 + "either; re-save with the default protocol")
        }
        for box in object.containers where box.kind == .persistentID {
            guard let fields = box.items.first.flatMap(object.sequence), fields.count >= 3,
                  case .global(_, let className) = fields[1],
                  let key = PyTorchTensorCollector.nameSegment(fields[2]) else { continue }
            classByKey[key] = className
        }

        var layout: [String: (byteOffset: Int, count: Int, type: ElementType)] = [:]
        var position = dataStart
        for keyValue in keyValues {
            guard let key = PyTorchTensorCollector.nameSegment(keyValue) else {
                throw ModelFileError("legacy storage key is \(keyList.describe(keyValue))")
            }
            guard let className = classByKey[key] else { throw ModelFileError("storage \(key) is not used by any tensor") }
            guard let type = PyTorchElementTypes.storageType(className) else {
                throw ModelFileError("storage class \(className) is not supported")
            }
            let header = try buffer.slice(position ..< position + 8)
            let count = Int(Int64(bitPattern: ByteReader.littleEndian(header)))
            let size = PyTorchElementTypes.byteSize(type)
            let dataOffset = position + 8
            guard count >= 0, count <= (bytes.count - dataOffset) / size else {
                throw ModelFileError("storage \(key) claims \(count) elements but only \(bytes.count - dataOffset) bytes are left")
            }
            layout[key] = (dataOffset, count, type)
            position = dataOffset + count * size
        }

        var collector = PyTorchTensorCollector(graph: object) { id in
            guard let stored = layout[id.key] else { throw ModelFileError("storage \(id.key) is missing from the file") }
            guard PyTorchElementTypes.storageType(id.className) == stored.type else {
                throw ModelFileError("storage \(id.key) is read as both \(id.className) and \(stored.type)")
            }
            guard id.elementCount <= stored.count else {
                throw ModelFileError("storage \(id.key) claims \(id.elementCount) elements but holds \(stored.count)")
            }
            let reference = StorageReference(buffer: buffer, byteOffset: stored.byteOffset,
                                             byteCount: stored.count * PyTorchElementTypes.byteSize(stored.type), key: id.key)
            var storage = PyTorchStorage(reference: reference, type: stored.type, elementBase: 0, elementCount: stored.count)
            if let view = id.view {
                guard view.offset <= stored.count, view.count <= stored.count - view.offset else {
                    throw ModelFileError("storage view \(view.key) is outside storage \(id.key)")
                }
                storage.elementBase = view.offset
                storage.elementCount = view.count
            }
            return storage
        }
        try collector.collect()
        return TensorArchive(tensors: collector.tensors, metadata: collector.metadata, source: source, format: "pytorch-legacy")
    }
}
