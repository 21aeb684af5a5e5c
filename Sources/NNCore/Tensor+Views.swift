extension Tensor {
    /// A view sharing storage, recorded with a backward rule that maps the view's gradient to this tensor's.
    @inline(__always)
    func recordedView(_ name: String, shape: [Int], strides: [Int], offset: Int,
                      _ backward: @escaping (Tensor) throws -> Tensor) -> Tensor {
        let out = rawView(shape: shape, strides: strides, offset: offset)
        if Tensor.recording(self) {
            out.record(name, [self]) { _, g in [try backward(g)] }
        }
        return out
    }

    /// A contiguous copy with no graph history (a no-op returning `self`'s data copy even when contiguous).
    func contiguousCopy() -> Tensor {
        let out = Tensor.uninitialized(shape, dtype: dtype)
        copyElements(from: self, to: out)
        return out
    }

    /// This tensor's data as a contiguous tensor outside the graph: itself when already contiguous.
    func contiguousData() -> Tensor {
        isContiguous ? self : contiguousCopy()
    }

    /// A contiguous tensor with the same values: `self` if already contiguous, otherwise a recorded copy.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = contiguousCopy()
        if Tensor.recording(self) { out.record("CloneBackward0", [self]) { _, g in [g] } }
        return out
    }

    /// A recorded copy with its own storage (like `torch.clone`).
    public func clone() -> Tensor {
        let out = contiguousCopy()
        if Tensor.recording(self) { out.record("CloneBackward0", [self]) { _, g in [g] } }
        return out
    }

    /// Resolves a target shape that may contain one -1.
    func resolvedShape(_ newShape: [Int], op: String) throws -> [Int] {
        var inferred: Int?
        var known = 1
        for (i, s) in newShape.enumerated() {
            if s == -1 {
                guard inferred == nil else { throw TensorError(op, "only one dimension can be -1 in \(shapeText(newShape))") }
                inferred = i
            } else if s < 0 {
                throw TensorError(op, "invalid size \(s) in \(shapeText(newShape))")
            } else {
                let (p, o) = known.multipliedReportingOverflow(by: s)
                guard !o else { throw TensorError(op, "shape \(shapeText(newShape)) has too many elements") }
                known = p
            }
        }
        var result = newShape
        if let i = inferred {
            guard known != 0, count % known == 0 else {
                throw TensorError(op, "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
            }
            result[i] = count / known
        } else if known != count {
            throw TensorError(op, "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
        }
        return result
    }

    /// A tensor with the same elements in `newShape` (one entry may be -1); a view when the layout allows,
    /// otherwise a copy.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        let target = try resolvedShape(newShape, op: "reshape")
        return reshaped(target, name: "ViewBackward0")
    }

    /// A view with `newShape` (one entry may be -1). Throws if this tensor is not contiguous.
    public func view(_ newShape: [Int]) throws -> Tensor {
        let target = try resolvedShape(newShape, op: "view")
        guard isContiguous else {
            throw TensorError("view", "tensor of shape \(shapeText(shape)) is not contiguous; use reshape")
        }
        return reshaped(target, name: "ViewBackward0")
    }

    /// Reshape to an already validated shape.
    func reshaped(_ target: [Int], name: String) -> Tensor {
        let source = contiguousData()
        let inputShape = shape
        let out = source.rawView(shape: target, strides: contiguousStrides(target), offset: source.offset)
        if Tensor.recording(self) {
            out.record(name, [self]) { _, g in [try g.reshape(inputShape)] }
        }
        return out
    }

    /// Collapses dimensions `startDim...endDim` into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return reshaped([1], name: "ViewBackward0") }
        let s = try resolveDim(startDim, rank: rank, op: "flatten")
        let e = try resolveDim(endDim, rank: rank, op: "flatten")
        guard s <= e else { throw TensorError("flatten", "start dimension \(startDim) comes after end dimension \(endDim)") }
        let merged = shape[s...e].reduce(1, *)
        return reshaped(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]), name: "ViewBackward0")
    }

    /// Swaps two dimensions (a view).
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        if rank == 0 { return try reshape([]) }
        let a = try resolveDim(dim0, rank: rank, op: "transpose")
        let b = try resolveDim(dim1, rank: rank, op: "transpose")
        var newShape = shape, newStrides = strides
        newShape.swapAt(a, b)
        newStrides.swapAt(a, b)
        return recordedView("TransposeBackward0", shape: newShape, strides: newStrides, offset: offset) { g in
            try g.transpose(a, b)
        }
    }

    /// The transpose of a matrix; vectors and scalars are returned as they are (PyTorch's `t()`).
    public func t() throws -> Tensor {
        guard rank <= 2 else { throw TensorError("t", "expects a tensor with <= 2 dimensions, got shape \(shapeText(shape))") }
        if rank < 2 { return recordedView("TBackward0", shape: shape, strides: strides, offset: offset) { $0 } }
        return recordedView("TBackward0", shape: [shape[1], shape[0]], strides: [strides[1], strides[0]],
                            offset: offset) { g in try g.t() }
    }

    /// Reorders dimensions: output dimension i is input dimension `dims[i]` (a view).
    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError("permute", "\(dims.count) dimensions given for a tensor of shape \(shapeText(shape))")
        }
        let resolved = try dims.map { try resolveDim($0, rank: rank, op: "permute") }
        guard Set(resolved).count == rank else { throw TensorError("permute", "repeated dimension in \(dims)") }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in resolved.enumerated() { inverse[d] = i }
        return recordedView("PermuteBackward0", shape: resolved.map { shape[$0] },
                            strides: resolved.map { strides[$0] }, offset: offset) { g in try g.permute(inverse) }
    }

    /// Elements `start..<end` by `step` along `dim` (a view). Bounds are clamped like Python slices;
    /// negative bounds count from the end.
    public func slice(dim: Int, start: Int? = nil, end: Int? = nil, step: Int = 1) throws -> Tensor {
        let d = try resolveDim(dim, rank: rank, op: "slice")
        guard rank > 0 else { throw TensorError("slice", "cannot slice a scalar") }
        guard step > 0 else { throw TensorError("slice", "step must be positive, got \(step)") }
        let size = shape[d]
        func clampIndex(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + size : i, 0), size) }
        let s = clampIndex(start ?? 0)
        let e = Swift.max(clampIndex(end ?? size), s)
        var newShape = shape, newStrides = strides
        newShape[d] = (e - s + step - 1) / step
        newStrides[d] = strides[d] * step
        let inputShape = shape
        return recordedView("SliceBackward0", shape: newShape, strides: newStrides, offset: offset + s * strides[d]) { g in
            try scatterIntoZeros(g, shape: inputShape) { try $0.slice(dim: d, start: s, end: e, step: step) }
        }
    }

    /// The sub-tensor at `index` along `dim`, with that dimension removed (a view).
    public func select(dim: Int, index: Int) throws -> Tensor {
        guard rank > 0 else { throw TensorError("select", "cannot select from a scalar") }
        let d = try resolveDim(dim, rank: rank, op: "select")
        let i = index < 0 ? index + shape[d] : index
        guard i >= 0 && i < shape[d] else {
            throw TensorError("select", "index \(index) is out of bounds for dimension \(d) with size \(shape[d])")
        }
        var newShape = shape, newStrides = strides
        newShape.remove(at: d)
        newStrides.remove(at: d)
        let inputShape = shape
        return recordedView("SelectBackward0", shape: newShape, strides: newStrides, offset: offset + i * strides[d]) { g in
            try scatterIntoZeros(g, shape: inputShape) { try $0.select(dim: d, index: i) }
        }
    }

    /// Row `index` (negative counts from the end): `select(dim: 0, index:)`.
    public func row(_ index: Int) throws -> Tensor { try select(dim: 0, index: index) }

    /// Row `index` of the first dimension, like `x[i]` in PyTorch.
    public subscript(_ index: Int) -> Tensor {
        get throws { try select(dim: 0, index: index) }
    }

    /// Inserts a dimension of size 1 at `dim` (which may be `rank` or negative).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try resolveDim(dim, rank: rank + 1, op: "unsqueeze")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: d)
        newStrides.insert(d < rank ? strides[d] * shape[d] : 1, at: d)
        return recordedView("UnsqueezeBackward0", shape: newShape, strides: newStrides, offset: offset) { g in
            try g.squeeze(dim: d)
        }
    }

    /// Removes dimension `dim` if its size is 1 (otherwise returns an unchanged view, like PyTorch).
    public func squeeze(dim: Int) throws -> Tensor {
        if rank == 0 { return recordedView("SqueezeBackward1", shape: [], strides: [], offset: offset) { $0 } }
        let d = try resolveDim(dim, rank: rank, op: "squeeze")
        var newShape = shape, newStrides = strides
        if shape[d] == 1 {
            newShape.remove(at: d)
            newStrides.remove(at: d)
        }
        let inputShape = shape
        return recordedView("SqueezeBackward1", shape: newShape, strides: newStrides, offset: offset) { g in
            try g.reshape(inputShape)
        }
    }

    /// Removes every dimension of size 1.
    public func squeeze() -> Tensor {
        var newShape: [Int] = [], newStrides: [Int] = []
        for d in 0..<rank where shape[d] != 1 {
            newShape.append(shape[d])
            newStrides.append(strides[d])
        }
        let inputShape = shape
        return recordedView("SqueezeBackward0", shape: newShape, strides: newStrides, offset: offset) { g in
            try g.reshape(inputShape)
        }
    }

    /// A broadcast view with `target` shape (-1 keeps a size); size-1 dimensions repeat without copying.
    public func expand(to target: [Int]) throws -> Tensor {
        guard target.count >= rank else {
            throw TensorError("expand", "cannot expand shape \(shapeText(shape)) to fewer dimensions \(shapeText(target))")
        }
        let lead = target.count - rank
        var newShape = target
        var newStrides = [Int](repeating: 0, count: target.count)
        for i in 0..<target.count {
            if i < lead {
                guard target[i] >= 0 else { throw TensorError("expand", "invalid size \(target[i]) for a new dimension in \(shapeText(target))") }
                continue
            }
            let d = i - lead
            if target[i] == -1 || target[i] == shape[d] {
                newShape[i] = shape[d]
                newStrides[i] = strides[d]
            } else if shape[d] == 1 && target[i] >= 0 {
                newStrides[i] = 0
            } else {
                throw TensorError("expand", "cannot expand shape \(shapeText(shape)) to \(shapeText(target)): size \(shape[d]) at dimension \(d) is not 1")
            }
        }
        let inputShape = shape
        return recordedView("ExpandBackward0", shape: newShape, strides: newStrides, offset: offset) { g in
            g.sum(toShape: inputShape)
        }
    }
}

/// Copies `src`'s elements into `dst` (same shape, any layouts).
func copyElements(from src: Tensor, to dst: Tensor) {
    if src.isContiguous && dst.isContiguous {
        dst.base.update(from: src.base, count: src.count)
        return
    }
    let s = src.storage.pointer, d = dst.storage.pointer
    forEachOffsetPair(shape: src.shape, stridesA: src.strides, offsetA: src.offset,
                      stridesB: dst.strides, offsetB: dst.offset) { a, b in d[b] = s[a] }
}

/// A zero tensor of `shape` with `g` written into the view `region` picks out (the backward of slicing views).
func scatterIntoZeros(_ g: Tensor, shape: [Int], region: (Tensor) throws -> Tensor) rethrows -> Tensor {
    let out = Tensor.zeros(shape)
    let target = try Autograd.noGrad { try region(out) }
    copyElements(from: g, to: target)
    return out
}
