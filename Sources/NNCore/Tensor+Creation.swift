extension Tensor {
    /// A contiguous tensor of `shape` with every element `value` (negative sizes count as 0).
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        // Negative sizes count as 0; valid shapes (every internal caller's) are used as is, without a new array.
        let shape = shape.allSatisfy { $0 >= 0 } ? shape : shape.map { Swift.max($0, 0) }
        let t = uninitialized(shape)
        t.base.update(repeating: value, count: t.count)
        return t
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, value: 0) }

    /// A tensor of zeros of element type `dtype` (an `.int64` counter, a `.bool` mask).
    public static func zeros(_ shape: [Int], dtype: DType) -> Tensor {
        let t = uninitialized(shape.map { Swift.max($0, 0) }, dtype: dtype)
        t.base.update(repeating: 0, count: t.count)
        return t
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, value: 1) }

    /// A zero tensor with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { full(other.shape, value: 0) }

    /// A one-dimensional tensor `0, 1, …, end-1`.
    public static func arange(_ end: Float) -> Tensor { arange(start: 0, end: end, step: 1) }

    /// A one-dimensional tensor `start, start+step, …` stopping before `end` (empty if the step points away).
    public static func arange(start: Float, end: Float, step: Float = 1) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else { return zeros([0]) }
        let n = Swift.max(0, Int((Double(end - start) / Double(step)).rounded(.up)))
        let t = uninitialized([n])
        for i in 0..<n { t.base[i] = Float(Double(start) + Double(i) * Double(step)) }
        return t
    }

    /// The n×n identity matrix.
    public static func eye(_ n: Int) -> Tensor {
        let n = Swift.max(n, 0)
        let t = zeros([n, n])
        for i in 0..<n { t.base[i * n + i] = 1 }
        return t
    }

    /// A tensor holding `values` in row-major order with `shape`.
    public convenience init(_ values: [Float], shape: [Int]) throws {
        let n = try checkedCount(shape, op: "tensor")
        guard n == values.count else {
            throw TensorError("tensor", "\(values.count) values do not fill shape \(shapeText(shape)) (\(n) elements)")
        }
        self.init(storage: TensorStorage(uninitializedCount: n), shape: shape, strides: contiguousStrides(shape),
                  offset: 0)
        values.withUnsafeBufferPointer { src in
            if let p = src.baseAddress { base.update(from: p, count: n) }
        }
    }

    /// A one-dimensional tensor of `values`.
    public convenience init(_ values: [Float]) {
        // A one-dimensional shape always matches its values.
        try! self.init(values, shape: [values.count])
    }

    /// A zero-dimensional tensor holding `scalar`.
    public convenience init(scalar: Float) {
        self.init(storage: TensorStorage(uninitializedCount: 1), shape: [], strides: [], offset: 0)
        base[0] = scalar
    }

    /// A matrix from rows of equal length.
    public convenience init(_ rows: [[Float]]) throws {
        let width = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != width {
            throw TensorError("tensor", "row \(i) has \(row.count) values, expected \(width)")
        }
        try self.init(rows.flatMap { $0 }, shape: [rows.count, width])
    }

    /// Uniform samples in [0, 1) drawn from `generator`.
    public static func rand(_ shape: [Int], generator: inout SeededGenerator) -> Tensor {
        let t = zeros(shape)
        for i in 0..<t.count { t.base[i] = generator.nextUniform() }
        return t
    }

    /// Standard normal samples drawn from `generator`.
    public static func randn(_ shape: [Int], generator: inout SeededGenerator) -> Tensor {
        let t = zeros(shape)
        for i in 0..<t.count { t.base[i] = generator.nextNormal() }
        return t
    }

    /// Uniform samples in [low, high) drawn from `generator`.
    public static func uniform(_ shape: [Int], low: Float, high: Float, generator: inout SeededGenerator) -> Tensor {
        let t = zeros(shape)
        for i in 0..<t.count { t.base[i] = low + (high - low) * generator.nextUniform() }
        return t
    }

    /// Normal samples with `mean` and `std` drawn from `generator`.
    public static func normal(_ shape: [Int], mean: Float, std: Float, generator: inout SeededGenerator) -> Tensor {
        let t = zeros(shape)
        for i in 0..<t.count { t.base[i] = mean + std * generator.nextNormal() }
        return t
    }

    /// Uniform samples in [0, 1) from the process-wide generator (see `manualSeed`).
    public static func rand(_ shape: [Int]) -> Tensor {
        DefaultGenerator.withGenerator { rand(shape, generator: &$0) }
    }

    /// Standard normal samples from the process-wide generator (see `manualSeed`).
    public static func randn(_ shape: [Int]) -> Tensor {
        DefaultGenerator.withGenerator { randn(shape, generator: &$0) }
    }

    /// Uniform samples in [low, high) from the process-wide generator.
    public static func uniform(_ shape: [Int], low: Float, high: Float) -> Tensor {
        DefaultGenerator.withGenerator { uniform(shape, low: low, high: high, generator: &$0) }
    }

    /// Normal samples from the process-wide generator.
    public static func normal(_ shape: [Int], mean: Float, std: Float) -> Tensor {
        DefaultGenerator.withGenerator { normal(shape, mean: mean, std: std, generator: &$0) }
    }

    /// Reseeds the process-wide generator (like `torch.manual_seed`).
    public static func manualSeed(_ seed: UInt64) {
        DefaultGenerator.shared.withLock { $0 = SeededGenerator(seed: seed) }
    }

    /// Runs `body` with its own generator seeded with `seed`: every draw that would come from the process-wide
    /// generator (layer initialisation, `rand` without a generator, dropout seeds) comes from it instead, so two
    /// models built at the same time on different threads each get the weights their seed gives.
    public static func withSeededGenerator<T, E: Error>(_ seed: UInt64, _ body: () throws(E) -> T) throws(E) -> T {
        let scope = ScopedGenerator(SeededGenerator(seed: seed))
        let result: Result<T, E> = DefaultGenerator.$scoped.withValue(scope) {
            do throws(E) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs `body` with exclusive access to the process-wide generator (for callers that draw several tensors
    /// that must come from one uninterrupted sequence).
    public static func withDefaultGenerator<T>(_ body: (inout SeededGenerator) throws -> T) rethrows -> T {
        try DefaultGenerator.withGenerator(body)
    }

    /// The elements in row-major order (a contiguous copy).
    public func toArray() -> [Float] {
        var result = [Float](repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { dst in
            guard let out = dst.baseAddress else { return }
            if isContiguous {
                out.update(from: base, count: count)
            } else {
                var i = 0
                forEachOffset(shape: shape, strides: strides, offset: offset) { o in
                    out[i] = storage.pointer[o]
                    i += 1
                }
            }
        }
        return result
    }

    /// The value of a one-element tensor.
    public func item() throws -> Float {
        guard count == 1 else {
            throw TensorError("item", "a tensor with \(count) elements (shape \(shapeText(shape))) cannot be converted to a scalar")
        }
        return base[0]
    }

    /// The element at `indices` (one per dimension, negative counts from the end).
    public func element(at indices: [Int]) throws -> Float {
        try storage.pointer[storageIndex(indices, op: "element")]
    }

    func storageIndex(_ indices: [Int], op: String) throws -> Int {
        guard indices.count == rank else {
            throw TensorError(op, "\(indices.count) indices for a tensor of shape \(shapeText(shape))")
        }
        var o = offset
        for (d, i) in indices.enumerated() {
            let j = i < 0 ? i + shape[d] : i
            guard j >= 0 && j < shape[d] else {
                throw TensorError(op, "index \(i) is out of bounds for dimension \(d) with size \(shape[d])")
            }
            o += j * strides[d]
        }
        return o
    }
}
