// Editing values in place, outside autograd: like assigning through PyTorch's `.data` or under `no_grad`,
// nothing here is recorded in the graph.
extension Tensor {
    /// Calls `body` with this tensor's elements; the tensor must be contiguous.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) throws -> R {
        guard isContiguous else {
            throw TensorError("withUnsafeMutableBufferPointer", "tensor of shape \(shapeText(shape)) is not contiguous")
        }
        storage.willEditInPlace()
        return try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Calls `body` with this tensor's elements read-only; the tensor must be contiguous.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        guard isContiguous else {
            throw TensorError("withUnsafeBufferPointer", "tensor of shape \(shapeText(shape)) is not contiguous")
        }
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Sets the element at `indices` (not recorded).
    public func setElement(at indices: [Int], to value: Float) throws {
        let index = try storageIndex(indices, op: "setElement")
        storage.willEditInPlace()
        storage.pointer[index] = value
    }

    /// Overwrites this tensor's elements with `source`'s, broadcasting `source` to this shape (not recorded).
    public func copyData(from source: Tensor) throws {
        let expanded: Tensor
        do {
            expanded = try source.detach().expand(to: shape)
        } catch {
            throw TensorError("copyData", "source \(shapeText(source.shape)) does not fit destination \(shapeText(shape))")
        }
        storage.willEditInPlace()
        // Read everything first so an overlapping source (a view of the same storage) is not half overwritten.
        copyElements(from: expanded.storage === storage ? expanded.contiguousCopy() : expanded, to: self)
    }

    /// Sets every element to `value` (not recorded).
    public func fill(_ value: Float) {
        storage.willEditInPlace()
        let p = storage.pointer
        if isContiguous { base.update(repeating: value, count: count); return }
        forEachOffset(shape: shape, strides: strides, offset: offset) { p[$0] = value }
    }

    /// Multiplies every element by `factor` (not recorded).
    public func scaleData(by factor: Float) {
        storage.willEditInPlace()
        let p = storage.pointer
        if isContiguous {
            let b = base
            for i in 0..<count { b[i] *= factor }
            return
        }
        forEachOffset(shape: shape, strides: strides, offset: offset) { p[$0] *= factor }
    }

    /// self += scale·other elementwise, broadcasting `other` (not recorded): the optimiser's update step.
    public func addScaledData(_ other: Tensor, scale: Float) throws {
        let expanded: Tensor
        do {
            expanded = try other.detach().expand(to: shape)
        } catch {
            throw TensorError("addScaledData", "source \(shapeText(other.shape)) does not fit destination \(shapeText(shape))")
        }
        storage.willEditInPlace()
        if isContiguous && expanded.isContiguous && expanded.storage !== storage {
            axpy(scale, expanded.base, base, count)
            return
        }
        let src = expanded.storage === storage ? expanded.contiguousCopy() : expanded
        let s = src.storage.pointer, d = storage.pointer
        forEachOffsetPair(shape: shape, stridesA: src.strides, offsetA: src.offset, stridesB: strides, offsetB: offset) { a, b in
            d[b] += scale * s[a]
        }
    }
}
