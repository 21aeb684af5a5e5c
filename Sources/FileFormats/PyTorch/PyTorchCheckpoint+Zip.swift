extension PyTorchCheckpoint {
    /// The zip format: `<prefix>/data.pkl`, `<prefix>/byteorder` and one `<prefix>/data/<key>` member per storage.
    /// Stored members are used in place (zero copy); big-endian storages are byte-swapped into owned memory.
    static func readZip(_ zip: ZipArchiveReader, source: String) throws -> TensorArchive {
        guard let first = zip.entries.first else { throw ModelFileError("checkpoint zip archive is empty") }
        guard let slash = first.name.firstIndex(of: "/") else {
            throw ModelFileError("zip member \"\(first.name)\" is not inside a folder, so this is not a torch.save archive")
        }
        let prefix = String(first.name[..<slash]) + "/"
        let pickleEntry: ZipEntry
        if let entry = zip.entry(named: prefix + "data.pkl") {
            pickleEntry = entry
        } else if let entry = zip.entries.first(where: { $0.name.hasSuffix("/data.pkl") }) {
            pickleEntry = entry
        } else {
            throw ModelFileError("zip archive has no data.pkl, so it is not a torch.save checkpoint")
        }
        let folder = String(pickleEntry.name.dropLast("data.pkl".count))

        var bigEndian = false
        if let orderEntry = zip.entry(named: folder + "byteorder") {
            let order = try zip.data(of: orderEntry, limit: 64)
            switch String(decoding: order.bytes, as: UTF8.self) {
            case "little": break
            case "big": bigEndian = true
            case let other: throw ModelFileError("unknown byteorder \"\(other.prefix(20))\"")
            }
        }

        let pickleBytes = try zip.data(of: pickleEntry, limit: inflateLimit(pickleEntry))
        let graph = try RestrictedUnpickler.load(pickleBytes.bytes).graph
        var collector = PyTorchTensorCollector(graph: graph) { id in
            guard let type = PyTorchElementTypes.storageType(id.className) else {
                throw ModelFileError("storage class \(id.className) is not supported")
            }
            let name = folder + "data/" + id.key
            guard let entry = zip.entry(named: name) else { throw ModelFileError("storage member \(name) is missing") }
            let width = PyTorchElementTypes.byteSize(type)
            let (needed, overflow) = id.elementCount.multipliedReportingOverflow(by: width)
            guard !overflow, needed <= entry.uncompressedSize else {
                throw ModelFileError("storage \(name) holds \(entry.uncompressedSize) bytes but \(id.className) of "
                    + "\(id.elementCount) elements needs \(overflow ? "more" : String(needed))")
            }
            var reference = try zip.storage(of: entry, key: "data/" + id.key, limit: inflateLimit(entry))
            reference.byteCount = needed
            if bigEndian { reference = byteSwapped(reference, width: id.className == "ComplexFloatStorage" ? 4 : width) }
            return PyTorchStorage(reference: reference, type: type, elementBase: 0, elementCount: id.elementCount)
        }
        try collector.collect()
        return TensorArchive(tensors: collector.tensors, metadata: collector.metadata, source: source, format: "pytorch-zip")
    }

    /// DEFLATE expands at most ~1032:1, so a member claiming more than that is lying: refuse it before allocating.
    static func inflateLimit(_ entry: ZipEntry) -> Int {
        let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: 1032)
        return overflow ? ZipArchiveReader.defaultInflateLimit : min(ZipArchiveReader.defaultInflateLimit, bound + 1024)
    }
}
