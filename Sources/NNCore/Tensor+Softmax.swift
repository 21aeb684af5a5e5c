extension Tensor {
    /// softmax along `dim`, computed stably (subtracting the maximum).
    public func softmax(dim: Int) throws -> Tensor {
        try softmaxFamily(dim: dim, log: false)
    }

    /// log(softmax) along `dim`, computed stably as x − max − log Σ exp(x − max).
    public func logSoftmax(dim: Int) throws -> Tensor {
        try softmaxFamily(dim: dim, log: true)
    }

    private func softmaxFamily(dim: Int, log: Bool) throws -> Tensor {
        let op = log ? "logSoftmax" : "softmax"
        let d = try resolveDim(dim, rank: rank, op: op)
        let l = ReductionLayout(shape: shape, dim: d)
        let x = contiguousData()
        let out = Tensor.uninitialized(shape)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                let src = x.base + o * l.size * l.inner + i
                let dst = out.base + o * l.size * l.inner + i
                var m = -Float.infinity
                for j in 0..<l.size { m = Swift.max(m, src[j * l.inner]) }
                if m == -.infinity { m = 0 }
                var total = 0.0
                for j in 0..<l.size { total += Double(_exp(src[j * l.inner] - m)) }
                if log {
                    let lse = m + Float(_log(total))
                    for j in 0..<l.size { dst[j * l.inner] = src[j * l.inner] - lse }
                } else {
                    let inv = 1 / total
                    for j in 0..<l.size { dst[j * l.inner] = Float(Double(_exp(src[j * l.inner] - m)) * inv) }
                }
            }
        }
        if Tensor.recording(self) {
            let y = out.detach()
            out.record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", [self]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.uninitialized(y.shape)
                for o in 0..<l.outer {
                    for i in 0..<l.inner {
                        let start = o * l.size * l.inner + i
                        let gp = gc.base + start, yp = y.base + start, dst = gx.base + start
                        if log {
                            // dx = g − softmax·Σg
                            var s: Float = 0
                            for j in 0..<l.size { s += gp[j * l.inner] }
                            for j in 0..<l.size { dst[j * l.inner] = gp[j * l.inner] - _exp(yp[j * l.inner]) * s }
                        } else {
                            // dx = y·(g − Σ g·y)
                            var s: Float = 0
                            for j in 0..<l.size { s += gp[j * l.inner] * yp[j * l.inner] }
                            for j in 0..<l.size { dst[j * l.inner] = yp[j * l.inner] * (gp[j * l.inner] - s) }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}
