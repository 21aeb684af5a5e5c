import NNModules

extension TensorArchive {
    /// The first NaN or ±Inf among the archive's floating-point tensors, in file order, read row by row from the
    /// file (nothing is materialised), so a weights-only view can report bad numbers as soon as it opens.
    /// Types nnview cannot convert are skipped; a tensor of more than `limit` elements (a zero-stride view can
    /// claim any number) is refused with an error rather than scanned for minutes.
    public func firstNonFinite(limit: Int = TensorLimits.maxElements) throws -> NonFiniteFinding? {
        for record in tensors where record.type.isConvertible {
            if let (index, value) = try record.firstNonFinite(limit: limit) {
                return NonFiniteFinding(name: record.name, kind: value.isNaN ? .nan : .inf, isGradient: false,
                                        elementIndex: index, value: value)
            }
        }
        return nil
    }
}

extension TensorRecord {
    /// Row-major index and value of the record's first non-finite element, or nil.
    func firstNonFinite(limit: Int) throws -> (index: Int, value: Float)? {
        guard elementCount <= limit else {
            throw ModelFileError("tensor \"\(name)\" has \(elementCount) elements, more than the \(limit) a scan may read")
        }
        // An empty tensor may still claim 2^60 rows of zero columns; there is nothing to scan.
        if elementCount == 0 { return nil }
        if case .ggml = type {
            let values = try floatValues(limit: limit)
            return values.firstIndex { !$0.isFinite }.map { ($0, values[$0]) }
        }
        let (rows, columns) = matrixShape
        var found: (index: Int, value: Float)?
        var row = 0
        // One row at a time keeps memory at one row however large the tensor.
        while found == nil, row < rows {
            try withFloatRows(row ..< row + 1) { _, values in
                if let column = values.firstIndex(where: { !$0.isFinite }) { found = (row * columns + column, values[column]) }
            }
            row += 1
        }
        return found
    }
}
