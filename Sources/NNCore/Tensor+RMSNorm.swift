/// Root-mean-square normalisation over the last dimension, as transformers' `LlamaRMSNorm` computes it in float:
/// x · 1/√(mean(x²) + eps) · weight (`weight` [last dim], or none).
public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor {
    guard x.rank >= 1 else { throw TensorError("rmsNorm", "input must have at least 1 dimension, got a scalar") }
    let width = x.shape[x.rank - 1]
    if let weight, weight.shape != [width] {
        throw TensorError("rmsNorm", "weight \(shapeText(weight.shape)) does not match the last dimension of input \(shapeText(x.shape)) (expected [\(width)])")
    }
    let rows = width == 0 ? 0 : x.count / width
    let xc = x.contiguousData(), wc = weight?.contiguousData()
    let out = Tensor.uninitialized(x.shape)
    var inverseRMS = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
        let src = xc.base + r * width, dst = out.base + r * width
        // Summed in double so wide rows (4096 and more) keep float32's precision in the mean.
        var squares = 0.0
        for j in 0..<width { squares += Double(src[j] * src[j]) }
        let inverse = 1 / (Float(squares / Double(width)) + eps).squareRoot()
        inverseRMS[r] = inverse
        if let w = wc?.base {
            for j in 0..<width { dst[j] = src[j] * inverse * w[j] }
        } else {
            for j in 0..<width { dst[j] = src[j] * inverse }
        }
    }
    if Tensor.recording(x, weight, nil) {
        let shape = x.shape
        out.record("RmsNormBackward0", x, weight, nil) { node, g in
            let gc = g.contiguousData()
            var gx: Tensor?, gw: Tensor?
            if node.needs(0) {
                // With u = g·w and r = 1/rms: dx = r·u − x·r³·mean(u·x).
                let t = Tensor.uninitialized(shape)
                for r in 0..<rows {
                    let gp = gc.base + r * width, src = xc.base + r * width, dst = t.base + r * width
                    let inverse = inverseRMS[r]
                    var dotUX: Float = 0
                    if let w = wc?.base {
                        for j in 0..<width { dotUX += gp[j] * w[j] * src[j] }
                    } else {
                        for j in 0..<width { dotUX += gp[j] * src[j] }
                    }
                    let c = inverse * inverse * inverse * dotUX / Float(width)
                    if let w = wc?.base {
                        for j in 0..<width { dst[j] = inverse * gp[j] * w[j] - src[j] * c }
                    } else {
                        for j in 0..<width { dst[j] = inverse * gp[j] - src[j] * c }
                    }
                }
                gx = t
            }
            if node.needs(1) {
                // dw = Σ_rows g·x·r
                let t = Tensor.zeros([width])
                for r in 0..<rows {
                    let gp = gc.base + r * width, src = xc.base + r * width, inverse = inverseRMS[r]
                    for j in 0..<width { t.base[j] += gp[j] * src[j] * inverse }
                }
                gw = t
            }
            return InputGradients(gx, gw, nil)
        }
    }
    return out
}
