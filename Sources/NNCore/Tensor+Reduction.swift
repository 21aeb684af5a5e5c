/// The layout of a reduction along one dimension of a contiguous tensor: `outer` blocks of `size` steps of
/// `inner` contiguous elements.
struct ReductionLayout {
    let outer: Int, size: Int, inner: Int
    let dim: Int
    let keptShape: [Int]   // dimension kept with size 1
    let droppedShape: [Int]

    init(shape inputShape: [Int], dim: Int) {
        // A scalar reduces like a one-element vector and keeps its empty shape.
        let shape = inputShape.isEmpty ? [1] : inputShape
        outer = shape[..<dim].reduce(1, *)
        size = shape[dim]
        inner = shape[(dim + 1)...].reduce(1, *)
        self.dim = dim
        var kept = shape
        kept[dim] = 1
        keptShape = inputShape.isEmpty ? [] : kept
        var dropped = shape
        dropped.remove(at: dim)
        droppedShape = dropped
    }

    func outputShape(keepdim: Bool, inputRank: Int) -> [Int] {
        inputRank == 0 ? [] : (keepdim ? keptShape : droppedShape)
    }
}

extension Tensor {
    /// The sum of all elements as a scalar (accumulated in Double).
    public func sum() -> Tensor {
        let out = Tensor(scalar: Float(sumOfValues()))
        if Tensor.recording(self) {
            let inputShape = shape
            // The scalar gradient filled into a fresh tensor rather than an expanded view of it, which the next
            // rule would copy to get contiguous values anyway.
            out.record("SumBackward0", [self]) { _, g in [Tensor.full(inputShape, value: g.base[0])] }
        }
        return out
    }

    func sumOfValues() -> Double {
        var acc = 0.0
        if isContiguous {
            let p = base
            for i in 0..<count { acc += Double(p[i]) }
        } else {
            let p = storage.pointer
            forEachOffset(shape: shape, strides: strides, offset: offset) { acc += Double(p[$0]) }
        }
        return acc
    }

    /// The mean of all elements as a scalar (NaN for an empty tensor, like PyTorch).
    public func mean() -> Tensor {
        let n = count
        let out = Tensor(scalar: Float(sumOfValues() / Double(n)))
        if Tensor.recording(self) {
            let inputShape = shape
            out.record("MeanBackward0", [self]) { _, g in [try (g / Float(n)).expand(to: inputShape)] }
        }
        return out
    }

    /// Sums along `dim` (no graph), accumulating in Double.
    func sumValues(layout l: ReductionLayout, scale: Double = 1) -> Tensor {
        let x = contiguousData()
        let out = Tensor.uninitialized(l.droppedShape)
        let acc = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(l.inner, 1))
        defer { acc.deallocate() }
        for o in 0..<l.outer {
            acc.update(repeating: 0, count: l.inner)
            var p = x.base + o * l.size * l.inner
            for _ in 0..<l.size {
                for i in 0..<l.inner { acc[i] += Double(p[i]) }
                p += l.inner
            }
            let dst = out.base + o * l.inner
            for i in 0..<l.inner { dst[i] = Float(acc[i] * scale) }
        }
        return out
    }

    /// Sums along `dim` (negative counts from the end), keeping it with size 1 when `keepdim`.
    public func sum(dim: Int, keepdim: Bool = false) throws -> Tensor {
        let d = try resolveDim(dim, rank: rank, op: "sum")
        let l = ReductionLayout(shape: shape, dim: d)
        let values = sumValues(layout: l)
        let outShape = l.outputShape(keepdim: keepdim, inputRank: rank)
        let out = values.rawView(shape: outShape, strides: contiguousStrides(outShape), offset: 0)
        if Tensor.recording(self) {
            let inputShape = shape
            out.record("SumBackward1", [self]) { _, g in [try g.reshape(l.keptShape).expand(to: inputShape)] }
        }
        return out
    }

    /// Means along `dim`, keeping it with size 1 when `keepdim`.
    public func mean(dim: Int, keepdim: Bool = false) throws -> Tensor {
        let d = try resolveDim(dim, rank: rank, op: "mean")
        let l = ReductionLayout(shape: shape, dim: d)
        let values = sumValues(layout: l, scale: 1 / Double(l.size))
        let outShape = l.outputShape(keepdim: keepdim, inputRank: rank)
        let out = values.rawView(shape: outShape, strides: contiguousStrides(outShape), offset: 0)
        if Tensor.recording(self) {
            let inputShape = shape
            let n = Float(l.size)
            out.record("MeanBackward1", [self]) { _, g in [try (g / n).reshape(l.keptShape).expand(to: inputShape)] }
        }
        return out
    }

    /// Index (row-major) of the first largest or smallest element; NaN wins like PyTorch.
    private func extremeIndex(largest: Bool, op: String) throws -> Int {
        guard count > 0 else {
            throw TensorError(op, "cannot reduce an empty tensor (shape \(shapeText(shape))) without a dimension")
        }
        let values = toArray()
        var best = 0
        for i in 1..<values.count {
            let v = values[i], b = values[best]
            if b.isNaN { break }
            if v.isNaN || (largest ? v > b : v < b) { best = i }
        }
        return best
    }

    private func extremeAll(largest: Bool, op: String, name: String) throws -> Tensor {
        let index = try extremeIndex(largest: largest, op: op)
        let out = Tensor(scalar: toArray()[index])
        if Tensor.recording(self) {
            let inputShape = shape
            out.record(name, [self]) { _, g in
                let gx = Tensor.zeros(inputShape)
                gx.base[index] = g.base[0]
                return [gx]
            }
        }
        return out
    }

    /// The largest element as a scalar (the gradient goes to the first maximum).
    public func max() throws -> Tensor { try extremeAll(largest: true, op: "max", name: "MaxBackward1") }

    /// The smallest element as a scalar (the gradient goes to the first minimum).
    public func min() throws -> Tensor { try extremeAll(largest: false, op: "min", name: "MinBackward1") }

    /// The row-major index of the largest element as a scalar.
    public func argmax() throws -> Tensor { Tensor(scalar: Float(try extremeIndex(largest: true, op: "argmax"))) }

    /// The row-major index of the smallest element as a scalar.
    public func argmin() throws -> Tensor { Tensor(scalar: Float(try extremeIndex(largest: false, op: "argmin"))) }

    /// Values and indices (as floats) of the extremes along `dim` (no graph).
    private func extremeAlong(_ dim: Int, largest: Bool, op: String) throws -> (values: Tensor, indices: Tensor, layout: ReductionLayout) {
        let d = try resolveDim(dim, rank: rank, op: op)
        let l = ReductionLayout(shape: shape, dim: d)
        guard l.size > 0 else {
            throw TensorError(op, "cannot reduce dimension \(d) of size 0 (shape \(shapeText(shape)))")
        }
        let x = contiguousData()
        let values = Tensor.uninitialized(l.droppedShape)
        let indices = Tensor.uninitialized(l.droppedShape)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                let p = x.base + o * l.size * l.inner + i
                var best = 0
                var bestValue = p[0]
                if !bestValue.isNaN {
                    for j in 1..<l.size {
                        let v = p[j * l.inner]
                        if v.isNaN || (largest ? v > bestValue : v < bestValue) {
                            best = j
                            bestValue = v
                            if v.isNaN { break }
                        }
                    }
                }
                values.base[o * l.inner + i] = bestValue
                indices.base[o * l.inner + i] = Float(best)
            }
        }
        return (values, indices, l)
    }

    private func extremeDim(_ dim: Int, keepdim: Bool, largest: Bool, op: String, name: String) throws -> (values: Tensor, indices: Tensor) {
        let (v, idx, l) = try extremeAlong(dim, largest: largest, op: op)
        let outShape = l.outputShape(keepdim: keepdim, inputRank: rank)
        let strides = contiguousStrides(outShape)
        let values = v.rawView(shape: outShape, strides: strides, offset: 0)
        let indices = idx.rawView(shape: outShape, strides: strides, offset: 0)
        if Tensor.recording(self) {
            let inputShape = shape
            values.record(name, [self]) { _, g in
                // Route each output's gradient to the position of its extreme along `dim`.
                let gc = g.contiguousData()
                let gx = Tensor.zeros(inputShape)
                for o in 0..<l.outer {
                    for i in 0..<l.inner {
                        let j = Int(idx.base[o * l.inner + i])
                        gx.base[(o * l.size + j) * l.inner + i] += gc.base[o * l.inner + i]
                    }
                }
                return [gx]
            }
        }
        return (values, indices)
    }

    /// The largest values along `dim` and their indices (as floats); the gradient goes to the argmax.
    public func max(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremeDim(dim, keepdim: keepdim, largest: true, op: "max", name: "MaxBackward0")
    }

    /// The smallest values along `dim` and their indices (as floats); the gradient goes to the argmin.
    public func min(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremeDim(dim, keepdim: keepdim, largest: false, op: "min", name: "MinBackward0")
    }

    /// Indices (as floats) of the largest values along `dim`.
    public func argmax(dim: Int, keepdim: Bool = false) throws -> Tensor {
        try Autograd.noGrad { try max(dim: dim, keepdim: keepdim).indices }
    }

    /// Indices (as floats) of the smallest values along `dim`.
    public func argmin(dim: Int, keepdim: Bool = false) throws -> Tensor {
        try Autograd.noGrad { try min(dim: dim, keepdim: keepdim).indices }
    }
}
