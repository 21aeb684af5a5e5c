import ModelFiles

/// The blocks an edit of a quantized tensor touches (32 or 256 values; ggml blocks run along the row-major
/// order), their re-quantization in place, and the ggml bytes a save writes for them.
enum QuantizedBlocks {
    /// Values per block of ggml type `typeID` (1 for a type nnview cannot re-quantize, which is refused earlier).
    static func size(of typeID: Int) -> Int { GGUFRequantizer.blockElements(of: typeID) ?? 1 }

    /// Every element of the blocks holding `indices`, in order.
    static func elements(of indices: [Int], typeID: Int) -> [Int] {
        let size = size(of: typeID)
        let blocks = Set(indices.map { $0 / size }).sorted()
        return blocks.flatMap { ($0 * size) ..< ($0 * size + size) }
    }

    /// Replaces each block of `elements` (whole blocks, as `elements(of:typeID:)` gives) by what quantizing it to
    /// ggml type `typeID` keeps, and remembers each block's bytes in `entry` for saving.
    static func requantize(_ buffer: UnsafeMutableBufferPointer<Float>, blocksOf elements: [Int], typeID: Int,
                           in entry: TensorEntry) throws {
        let size = size(of: typeID)
        var encoded: [(block: Int, bytes: [UInt8], values: [Float])] = []
        for start in stride(from: 0, to: elements.count, by: size) {
            let first = elements[start]
            guard first + size <= buffer.count else { continue }
            let bytes = try GGUFRequantizer.encode(Array(buffer[first ..< first + size]), typeID: typeID)
            encoded.append((first / size, bytes, GGUFRequantizer.decode(bytes, typeID: typeID)))
        }
        // Written only once every block encoded: a refused block leaves the tensor as it was.
        for (block, bytes, values) in encoded {
            for i in 0 ..< size { buffer[block * size + i] = values[i] }
            entry.encodedBlocks[block, default: []].append(bytes)
        }
    }

    /// The ggml bytes of `entry`'s tensor (`record`'s type) holding the values shown now: a block still as read
    /// keeps the file's bytes, an edited one the bytes its re-quantization made (undo and redo return to values
    /// some earlier encoding gave), re-encoded only if no earlier encoding matches.
    static func bytes(of entry: TensorEntry, record: TensorRecord, values: [Float]) throws -> [UInt8] {
        guard case .ggml(let typeID) = record.type, let layout = GGMLTypeLayout.of(typeID) else {
            throw ExplorerError("\(record.name) is not a ggml-quantized tensor")
        }
        let size = layout.blockElements
        let original = try record.floatValues(limit: TensorLimits.maxElements)
        let raw = record.storage.bytes
        guard original.count == values.count, raw.count == values.count / size * layout.blockBytes else {
            throw ExplorerError("\(record.name): its stored blocks do not match its \(values.count) values")
        }
        var out = [UInt8](raw)
        for block in 0 ..< values.count / size {
            let range = block * size ..< (block + 1) * size
            let now = Array(values[range])
            guard now != Array(original[range]) else { continue }
            let known = entry.encodedBlocks[block]?.last { GGUFRequantizer.decode($0, typeID: typeID) == now }
            let bytes = try known ?? GGUFRequantizer.encode(now, typeID: typeID)
            out.replaceSubrange(block * layout.blockBytes ..< (block + 1) * layout.blockBytes, with: bytes)
        }
        return out
    }
}
