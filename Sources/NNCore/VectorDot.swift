/// Σ x[j]·y[j] over `n` contiguous floats, eight lanes at a time (inner loops of the depthwise weight gradient, masked pooling and others
/// that multiply two short contiguous rows; products of matrices go through MatmulKernel).
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var j = 0
    let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y)
    while j &+ 8 <= n {
        acc += xr.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
            * yr.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
        j &+= 8
    }
    var sum = acc.sum()
    while j < n {
        sum += x[j] * y[j]
        j &+= 1
    }
    return sum
}
