// Row-major walks over strided layouts. The innermost dimension is a plain loop, outer dimensions use an
// odometer, so no per-element index arithmetic beyond one add.

/// Calls `body` with the storage index of every element of a strided layout, in row-major order.
@inline(__always)
func forEachOffset(shape: [Int], strides: [Int], offset: Int, _ body: (Int) -> Void) {
    let rank = shape.count
    if rank == 0 { body(offset); return }
    for s in shape where s == 0 { return }
    let innerSize = shape[rank - 1], innerStride = strides[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var rowStart = offset
    while true {
        var o = rowStart
        for _ in 0..<innerSize {
            body(o)
            o += innerStride
        }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            rowStart += strides[d]
            if index[d] < shape[d] { break }
            rowStart -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// Like `forEachOffset` for two layouts of the same shape walked together.
@inline(__always)
func forEachOffsetPair(shape: [Int], stridesA: [Int], offsetA: Int, stridesB: [Int], offsetB: Int,
                       _ body: (Int, Int) -> Void) {
    let rank = shape.count
    if rank == 0 { body(offsetA, offsetB); return }
    for s in shape where s == 0 { return }
    let innerSize = shape[rank - 1], innerA = stridesA[rank - 1], innerB = stridesB[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var rowA = offsetA, rowB = offsetB
    while true {
        var a = rowA, b = rowB
        for _ in 0..<innerSize {
            body(a, b)
            a += innerA
            b += innerB
        }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            rowA += stridesA[d]
            rowB += stridesB[d]
            if index[d] < shape[d] { break }
            rowA -= stridesA[d] * shape[d]
            rowB -= stridesB[d] * shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// The broadcast shape of two shapes (NumPy rules), or an error naming `op` and both shapes.
func broadcastShape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
    if a == b { return a }
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 {
            result[i] = da
        } else if da == 1 {
            result[i] = db
        } else {
            throw TensorError(op, "shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast (size \(da) vs \(db) at dimension \(i))")
        }
    }
    return result
}

extension Tensor {
    /// Strides that read this tensor as if expanded to `target` (0 along broadcast dimensions).
    /// `target` must be a valid broadcast of `shape`.
    func broadcastStrides(to target: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: target.count)
        let lead = target.count - rank
        for d in 0..<rank where shape[d] != 1 || target[d + lead] == 1 {
            result[d + lead] = shape[d] == 1 ? 0 : strides[d]
        }
        return result
    }
}
