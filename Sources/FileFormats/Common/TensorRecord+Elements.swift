/// Element access straight from a record's mapped bytes: values as Float32, single elements, and row by row
/// decoding so a heatmap can downsample a huge tensor without materialising it.
extension TensorRecord {
    /// Checks that every element the shape/strides/offset can reach lies inside the storage; returns the byte
    /// offset (inside the storage) of element [0, 0, …] and the element width.
    public func checkedLayout() throws -> (firstByte: Int, elementWidth: Int) {
        guard let bits = type.bitsPerElement, bits % 8 == 0 else {
            throw ModelFileError("tensor \"\(name)\": \(type) elements cannot be addressed one by one")
        }
        let width = bits / 8
        guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw ModelFileError("tensor \"\(name)\": shape \(shape) and strides \(strides) do not fit together")
        }
        let first = try CheckedArithmetic.multiply(elementOffset, width, "tensor \"\(name)\" offset")
        if shape.contains(0) { return (first, width) }
        var low = elementOffset
        var high = elementOffset
        for (size, step) in zip(shape, strides) {
            let reach = try CheckedArithmetic.multiply(size - 1, step, "tensor \"\(name)\" extent")
            if reach < 0 { low = try CheckedArithmetic.add(low, reach, "tensor \"\(name)\" extent") }
            else { high = try CheckedArithmetic.add(high, reach, "tensor \"\(name)\" extent") }
        }
        let endByte = try CheckedArithmetic.multiply(try CheckedArithmetic.add(high, 1, "tensor \"\(name)\" extent"), width,
                                                     "tensor \"\(name)\" extent")
        guard low >= 0, endByte <= storage.byteCount,
              storage.byteOffset >= 0, storage.byteCount <= storage.buffer.count - storage.byteOffset else {
            throw ModelFileError("tensor \"\(name)\" (shape \(shape), strides \(strides), offset \(elementOffset)) reaches outside its \(storage.byteCount)-byte storage")
        }
        return (first, width)
    }

    /// Whether the elements are laid out row-major and back to back.
    public var isContiguous: Bool {
        zip(zip(shape, strides), TensorRecord.rowMajorStrides(shape)).allSatisfy { $0.0 <= 1 || $0.1 == $1 }
    }

    /// Number of elements, checked for overflow (readers guarantee this; hand-made records may not).
    func checkedElementCount() throws -> Int {
        try shape.reduce(1) { try CheckedArithmetic.multiply($0, $1, "element count of \"\(name)\"") }
    }

    /// All elements in row-major order as Float32 (honouring strides and offset). Refuses more than `limit`
    /// elements, so a caller never materialises a huge tensor by accident.
    public func floatValues(limit: Int) throws -> [Float] {
        let count = try checkedElementCount()
        guard count <= limit else {
            throw ModelFileError("tensor \"\(name)\" has \(count) elements, more than the \(limit) asked for")
        }
        // Block-quantized GGUF tensors decode whole blocks, not single elements.
        if case .ggml = type { return try GGUFDequantizer.floats(of: self) }
        var values: [Float] = []
        values.reserveCapacity(count)
        try forEachRow { _, row in values.append(contentsOf: row) }
        return values
    }

    /// Element `elementIndex` in row-major order, as Float32.
    public func readFloat(at elementIndex: Int) throws -> Float {
        let count = try checkedElementCount()
        guard elementIndex >= 0, elementIndex < count else {
            throw ModelFileError("element \(elementIndex) is outside tensor \"\(name)\" of \(count) elements")
        }
        let (first, width) = try checkedLayout()
        let decoder = try ElementDecoder(type)
        var remainder = elementIndex
        var offset = 0
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            offset += (remainder % shape[axis]) * strides[axis]
            remainder /= shape[axis]
        }
        return decoder.read(storage.buffer.base! + storage.byteOffset + first + offset * width)
    }

    /// The tensor seen as a matrix: columns = the last dimension, rows = the product of the others (a scalar is 1×1).
    public var matrixShape: (rows: Int, columns: Int) {
        guard let columns = shape.last else { return (1, 1) }
        // Saturating, like `elementCount`: an empty record may claim leading sizes whose product overflows.
        let leading = Array(shape.dropLast())
        if leading.contains(0) { return (0, columns) }
        var rows = 1
        for size in leading {
            let (product, overflow) = rows.multipliedReportingOverflow(by: size)
            if overflow { return (Int.max, columns) }
            rows = product
        }
        return (rows, columns)
    }

    /// Decodes the requested rows of the matrix view (see `matrixShape`), taking every `columnStep`-th column,
    /// and hands each to `body` in a scratch buffer valid only during the call. Reads only the bytes of those rows.
    public func withFloatRows(_ rows: some Sequence<Int>, columnStep: Int = 1,
                              _ body: (_ row: Int, _ values: UnsafeBufferPointer<Float>) throws -> Void) throws {
        guard columnStep >= 1 else { throw ModelFileError("column step must be at least 1") }
        _ = try checkedElementCount()
        let (first, width) = try checkedLayout()
        let decoder = try ElementDecoder(type)
        let (rowCount, columns) = matrixShape
        let columnStride = shape.isEmpty ? 1 : strides[strides.count - 1]
        let leading = Array(shape.dropLast())
        let leadingStrides = Array(strides.dropLast())
        let sampled = columns == 0 ? 0 : (columns - 1) / columnStep + 1
        // A zero-stride view can claim rows far longer than its storage; one row's scratch is capped like a tensor.
        guard sampled <= TensorLimits.maxElements else {
            throw ModelFileError("tensor \"\(name)\" rows of \(sampled) sampled columns exceed the \(TensorLimits.maxElements)-element limit")
        }
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(sampled, 1))
        defer { scratch.deallocate() }
        guard let base = storage.buffer.base.map({ $0 + storage.byteOffset + first }) else {
            for row in rows where row >= 0 && row < rowCount { try body(row, UnsafeBufferPointer(rebasing: scratch[0 ..< 0])) }
            return
        }
        for row in rows {
            guard row >= 0, row < rowCount else {
                throw ModelFileError("row \(row) is outside tensor \"\(name)\" with \(rowCount) rows")
            }
            var remainder = row
            var rowOffset = 0
            for axis in stride(from: leading.count - 1, through: 0, by: -1) {
                rowOffset += (remainder % leading[axis]) * leadingStrides[axis]
                remainder /= leading[axis]
            }
            let rowStart = base + rowOffset * width
            if columnStep * columnStride == 1 {
                // Back-to-back elements: hand out the mapped Float32s themselves when they are aligned, else
                // convert the whole row in one loop.
                #if _endian(little)
                if type == .f32, Int(bitPattern: rowStart) % MemoryLayout<Float>.alignment == 0 {
                    try body(row, UnsafeBufferPointer(start: rowStart.assumingMemoryBound(to: Float.self), count: sampled))
                    continue
                }
                #endif
                if ElementDecoder.decodeContiguous(type, from: rowStart, count: sampled, into: scratch.baseAddress!) {
                    try body(row, UnsafeBufferPointer(rebasing: scratch[0 ..< sampled]))
                    continue
                }
            }
            for index in 0 ..< sampled {
                scratch[index] = decoder.read(rowStart + index * columnStep * columnStride * width)
            }
            try body(row, UnsafeBufferPointer(rebasing: scratch[0 ..< sampled]))
        }
    }

    /// Every row in order (internal helper for `floatValues`).
    func forEachRow(_ body: (_ row: Int, _ values: UnsafeBufferPointer<Float>) throws -> Void) throws {
        // Rows of zero columns hold nothing, and a shape like [2^60, 0] has that many of them: don't visit any.
        guard try checkedElementCount() > 0 else { return }
        try withFloatRows(0 ..< matrixShape.rows, body)
    }

    /// The elements' bytes in row-major order: a zero-copy view when contiguous, else gathered into new memory.
    /// A gathered copy of more than `limit` elements is refused before allocating: a view with zero strides
    /// (PyTorch's `expand`) can claim far more elements than its storage holds.
    public func rowMajorBytes(limit: Int = TensorLimits.maxElements) throws -> ByteBuffer {
        let count = try checkedElementCount()
        let (first, width) = try checkedLayout()
        let byteCount = try CheckedArithmetic.multiply(count, width, "byte size of \"\(name)\"")
        let start = storage.byteOffset + first
        if count == 0 { return ByteBuffer(copying: []) }
        if isContiguous { return try storage.buffer.subBuffer(start ..< start + byteCount) }
        guard count <= limit else {
            throw ModelFileError("tensor \"\(name)\" is a view of \(count) elements, more than the \(limit) a copy may take")
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        let base = storage.buffer.base! + start
        var index = Array(repeating: 0, count: shape.count)
        for element in 0 ..< count {
            var offset = 0
            for axis in 0 ..< shape.count { offset += index[axis] * strides[axis] }
            (memory + element * width).copyMemory(from: base + offset * width, byteCount: width)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return ByteBuffer(adopting: memory, count: byteCount)
    }
}
