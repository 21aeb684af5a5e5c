extension Tensor {
    /// Applies `f` to every element into a new contiguous tensor (no graph).
    @inline(__always)
    func mapValues(dtype: DType = .float32, _ f: (Float) -> Float) -> Tensor {
        let out = Tensor.uninitialized(shape, dtype: dtype)
        let o = out.base
        if isContiguous {
            let x = base
            for i in 0..<count { o[i] = f(x[i]) }
        } else {
            let x = storage.pointer
            var i = 0
            forEachOffset(shape: shape, strides: strides, offset: offset) { off in
                o[i] = f(x[off])
                i += 1
            }
        }
        return out
    }

    /// Combines two tensors elementwise with broadcasting into a new contiguous tensor (no graph).
    @inline(__always)
    static func zipValues(_ a: Tensor, _ b: Tensor, op: String, dtype: DType = .float32,
                          _ f: (Float, Float) -> Float) throws -> Tensor {
        if a.shape == b.shape && a.isContiguous && b.isContiguous {
            let out = Tensor.uninitialized(a.shape, dtype: dtype)
            let o = out.base, x = a.base, y = b.base
            for i in 0..<a.count { o[i] = f(x[i], y[i]) }
            return out
        }
        let shape = try broadcastShape(a.shape, b.shape, op: op)
        let out = Tensor.uninitialized(shape, dtype: dtype)
        let o = out.base
        if b.count == 1 && a.isContiguous && a.shape == shape {
            let x = a.base, y = b.base[0]
            for i in 0..<out.count { o[i] = f(x[i], y) }
            return out
        }
        let x = a.storage.pointer, y = b.storage.pointer
        var i = 0
        forEachOffsetPair(shape: shape, stridesA: a.broadcastStrides(to: shape), offsetA: a.offset,
                          stridesB: b.broadcastStrides(to: shape), offsetB: b.offset) { ia, ib in
            o[i] = f(x[ia], y[ib])
            i += 1
        }
        return out
    }

    /// `g` reduced by summation to `target`, undoing broadcasting (returns `self` when shapes already match).
    func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let out = Tensor.zeros(target)
        let o = out.base
        let src = storage.pointer
        let outStrides = out.broadcastStrides(to: shape)
        forEachOffsetPair(shape: shape, stridesA: strides, offsetA: offset, stridesB: outStrides, offsetB: 0) { a, b in
            o[b] += src[a]
        }
        return out
    }
}
