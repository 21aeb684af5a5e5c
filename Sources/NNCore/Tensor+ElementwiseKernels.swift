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

/// out[i] = x[i] <= 0 ? 0 : x[i] (ReLU; `<=` is false for NaN, so NaN passes through), eight lanes at a time.
///
/// The select is written as SIMD: release builds target baseline x86-64 (SSE2), for which the optimiser leaves
/// the scalar loop's select unvectorised (callgrind: eight times the instructions of the AVX2 build it replaced).
func reluKernel(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    let source = UnsafeRawPointer(x), target = UnsafeMutableRawPointer(out)
    var i = 0
    while i &+ 8 <= count {
        let v = source.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
        target.storeBytes(of: v.replacing(with: 0, where: v .<= 0), toByteOffset: i &* 4, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < count {
        out[i] = x[i] <= 0 ? 0 : x[i]
        i &+= 1
    }
}

/// out[i] = y[i] <= 0 ? 0 : g[i]: ReLU's backward from its output y (PyTorch's threshold_backward, so the
/// gradient passes where y is NaN), eight lanes at a time like `reluKernel`.
func reluGradientKernel(output y: UnsafePointer<Float>, gradient g: UnsafePointer<Float>,
                        into out: UnsafeMutablePointer<Float>, count: Int) {
    let yRaw = UnsafeRawPointer(y), gRaw = UnsafeRawPointer(g), target = UnsafeMutableRawPointer(out)
    var i = 0
    while i &+ 8 <= count {
        let yv = yRaw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
        let gv = gRaw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
        target.storeBytes(of: gv.replacing(with: 0, where: yv .<= 0), toByteOffset: i &* 4, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < count {
        out[i] = y[i] <= 0 ? 0 : g[i]
        i &+= 1
    }
}
