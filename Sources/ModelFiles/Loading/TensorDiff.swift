/// How two sets of named tensors differ (`nnview diff A B`): names only on one side, names whose shape or type
/// differ, ties that differ, and for every common tensor the largest absolute difference and the relative norm
/// of the difference. Works across formats: values are compared as Float32.
public struct TensorDiff {
    /// A tensor present on both sides with the same shape.
    public struct Comparison {
        /// The name.
        public var name: String
        /// The element types (they may differ: F16 against F32 is compared by value).
        public var typeA: String, typeB: String
        /// The shape.
        public var shape: [Int]
        /// max |a − b| over all elements (0 for empty tensors); NaN if either side has a NaN where the other differs.
        public var maxAbsoluteDifference: Double
        /// ‖a − b‖₂ / ‖a‖₂ (0 when both are zero, infinity when only a is zero).
        public var relativeNormDifference: Double

        /// Elements where |a − b| > atol + rtol·|b| (NumPy's `allclose` test; a NaN against a number counts).
        public var elementsOutsideTolerance = 0

        /// True when every element is equal.
        public var isEqual: Bool { maxAbsoluteDifference == 0 }
    }

    /// The tolerances values were compared with (0 and 0: equal means bit-for-bit the same Float32 value).
    public var relativeTolerance = 0.0
    /// See `relativeTolerance`.
    public var absoluteTolerance = 0.0

    /// True when both sides have the same names, shapes, types and ties, and every value is within the
    /// tolerances: what `nnview diff` exits 0 for.
    public var matchesWithinTolerance: Bool {
        onlyInA.isEmpty && onlyInB.isEmpty && mismatched.isEmpty && typeDifferences.isEmpty && tieDifferences.isEmpty
            && compared.allSatisfy { $0.elementsOutsideTolerance == 0 }
    }

    /// A name on both sides whose shapes differ.
    public struct Mismatch {
        /// The name.
        public var name: String
        /// `F32 [8, 4]` on each side.
        public var a: String, b: String
    }

    /// A name tied to different names on each side.
    public struct TieDifference {
        /// The name.
        public var name: String
        /// The other names of the same tensor on each side.
        public var a: [String], b: [String]
    }

    /// Names only in A, in A's order.
    public var onlyInA: [String] = []
    /// Names only in B, in B's order.
    public var onlyInB: [String] = []
    /// Common names whose shapes differ.
    public var mismatched: [Mismatch] = []
    /// Common names whose types differ (compared by value all the same).
    public var typeDifferences: [Mismatch] = []
    /// Common names whose ties differ.
    public var tieDifferences: [TieDifference] = []
    /// Common names with equal shapes, compared element by element, in A's order.
    public var compared: [Comparison] = []

    /// True when both sides have the same names, shapes, types, ties and values.
    public var isIdentical: Bool {
        onlyInA.isEmpty && onlyInB.isEmpty && mismatched.isEmpty && typeDifferences.isEmpty && tieDifferences.isEmpty
            && compared.allSatisfy(\.isEqual)
    }

    /// Compares `a` with `b`. Values are read a block of rows at a time, so two huge files are compared without
    /// holding either in memory.
    public static func compare(_ a: TensorArchive, _ b: TensorArchive, relativeTolerance: Double = 0,
                               absoluteTolerance: Double = 0) throws -> TensorDiff {
        var diff = TensorDiff()
        diff.relativeTolerance = relativeTolerance
        diff.absoluteTolerance = absoluteTolerance
        let recordsB = Dictionary(b.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let namesA = Set(a.tensors.map(\.name))
        diff.onlyInA = a.tensors.map(\.name).filter { recordsB[$0] == nil }
        diff.onlyInB = b.tensors.map(\.name).filter { !namesA.contains($0) }
        let tiesA = tiePartners(a)
        let tiesB = tiePartners(b)
        var done = Set<String>()
        for recordA in a.tensors where done.insert(recordA.name).inserted {
            guard let recordB = recordsB[recordA.name] else { continue }
            let partnersA = tiesA[recordA.name, default: []].filter { recordsB[$0] != nil }
            let partnersB = tiesB[recordA.name, default: []].filter { namesA.contains($0) }
            if partnersA != partnersB {
                diff.tieDifferences.append(TieDifference(name: recordA.name, a: partnersA, b: partnersB))
            }
            guard recordA.shape == recordB.shape else {
                diff.mismatched.append(Mismatch(name: recordA.name, a: "\(recordA.type) \(recordA.shape)",
                                                b: "\(recordB.type) \(recordB.shape)"))
                continue
            }
            if recordA.type != recordB.type {
                diff.typeDifferences.append(Mismatch(name: recordA.name, a: "\(recordA.type)", b: "\(recordB.type)"))
            }
            diff.compared.append(try compareValues(recordA, recordB, sourceA: a.source, sourceB: b.source,
                                                   rtol: relativeTolerance, atol: absoluteTolerance))
        }
        return diff
    }

    /// name → the other names with the same tie key, sorted.
    static func tiePartners(_ archive: TensorArchive) -> [String: [String]] {
        var groups: [String: [String]] = [:]
        for (record, key) in zip(archive.tensors, archive.tieKeys) { groups[key, default: []].append(record.name) }
        var result: [String: [String]] = [:]
        for names in groups.values where names.count > 1 {
            for name in names { result[name] = names.filter { $0 != name }.sorted() }
        }
        return result
    }

    /// Rows per block so a block holds about a million elements.
    static let elementsPerBlock = 1 << 20

    static func compareValues(_ a: TensorRecord, _ b: TensorRecord, sourceA: String, sourceB: String,
                              rtol: Double = 0, atol: Double = 0) throws -> Comparison {
        var outside = 0
        var maxAbsolute = 0.0
        var differenceSquares = 0.0
        var normSquares = 0.0
        var unmatchedNaN = false
        func accumulate(_ valuesA: [Float], _ valuesB: [Float]) {
            for (x, y) in zip(valuesA, valuesB) {
                if x.isNaN || y.isNaN {
                    // NaN against NaN counts as equal; NaN against a number is a difference of unknown size.
                    if x.isNaN != y.isNaN { unmatchedNaN = true; outside += 1 }
                    continue
                }
                if x.isFinite { normSquares += Double(x) * Double(x) }
                guard x != y else { continue }  // equal infinities are equal
                let difference = abs(Double(x) - Double(y))
                if !(difference <= atol + rtol * abs(Double(y))) { outside += 1 }
                maxAbsolute = max(maxAbsolute, difference)
                differenceSquares += difference * difference
            }
        }
        let (rows, columns) = a.matrixShape
        if a.isQuantized || b.isQuantized {
            // Block-quantized tensors decode whole blocks, not rows.
            try accumulate(values(a, source: sourceA), values(b, source: sourceB))
        } else if a.elementCount > 0 {
            let rowsPerBlock = max(1, elementsPerBlock / max(columns, 1))
            var start = 0
            while start < rows {
                let block = start ..< min(rows, start + rowsPerBlock)
                try accumulate(rowValues(a, block, source: sourceA), rowValues(b, block, source: sourceB))
                start = block.upperBound
            }
        }
        if unmatchedNaN { maxAbsolute = .nan }
        let relative: Double
        if maxAbsolute.isNaN { relative = .nan }
        else if differenceSquares == 0 { relative = 0 }
        else if normSquares == 0 { relative = .infinity }
        else { relative = (differenceSquares / normSquares).squareRoot() }
        return Comparison(name: a.name, typeA: a.type.name, typeB: b.type.name, shape: a.shape,
                          maxAbsoluteDifference: maxAbsolute, relativeNormDifference: relative,
                          elementsOutsideTolerance: outside)
    }

    static func values(_ record: TensorRecord, source: String) throws -> [Float] {
        do { return try record.floatValues(limit: TensorLimits.maxElements) }
        catch let error as ModelFileError { throw error.inFile(source) }
    }

    static func rowValues(_ record: TensorRecord, _ rows: Range<Int>, source: String) throws -> [Float] {
        var values: [Float] = []
        do {
            try record.withFloatRows(rows) { _, row in values.append(contentsOf: row) }
        } catch let error as ModelFileError {
            throw error.inFile(source)
        }
        return values
    }
}

extension TensorRecord {
    /// Whether the elements are ggml blocks (decoded a whole tensor at a time).
    var isQuantized: Bool {
        if case .ggml = type { return true }
        return false
    }
}
