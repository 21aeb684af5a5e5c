extension Tensor {
    /// Divides by the L2 norm along `dim`, at least `eps`: x / max(‖x‖₂, eps), as `F.normalize(p=2)`.
    public func l2Normalized(dim: Int, eps: Float = 1e-12) throws -> Tensor {
        let d = try resolveDim(dim, rank: rank, op: "l2Normalized")
        let l = ReductionLayout(shape: shape, dim: d)
        let x = contiguousData()
        let out = Tensor.uninitialized(shape)
        // One divisor per row: max(‖x‖, eps).
        var divisors = [Float](repeating: 0, count: l.outer * l.inner)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                let start = o * l.size * l.inner + i
                let src = x.base + start, dst = out.base + start
                var squares = 0.0
                for j in 0..<l.size { squares += Double(src[j * l.inner] * src[j * l.inner]) }
                let divisor = Swift.max(Float(squares.squareRoot()), eps)
                divisors[o * l.inner + i] = divisor
                let inverse = 1 / divisor
                for j in 0..<l.size { dst[j * l.inner] = src[j * l.inner] * inverse }
            }
        }
        if Tensor.recording(self) {
            let y = out.detach()
            out.record("NormalizeBackward0", [self]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.uninitialized(y.shape)
                for o in 0..<l.outer {
                    for i in 0..<l.inner {
                        let start = o * l.size * l.inner + i
                        let gp = gc.base + start, yp = y.base + start, dst = gx.base + start
                        let divisor = divisors[o * l.inner + i]
                        if divisor > eps {
                            // dx = (g − y·Σ g·y) / ‖x‖
                            var s: Float = 0
                            for j in 0..<l.size { s += gp[j * l.inner] * yp[j * l.inner] }
                            for j in 0..<l.size { dst[j * l.inner] = (gp[j * l.inner] - yp[j * l.inner] * s) / divisor }
                        } else {
                            // The norm is clamped at eps, a constant: dx = g / eps.
                            for j in 0..<l.size { dst[j * l.inner] = gp[j * l.inner] / divisor }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}
