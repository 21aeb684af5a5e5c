/// Batch normalisation of `x` [N, C, …] per channel (dimension 1), like `F.batch_norm`.
///
/// In training, each channel is normalised with the batch's mean and biased variance, and the running statistics
/// (when given) are updated in place: `running = (1 − factor)·running + factor·batch`, with the batch's unbiased
/// variance for `runningVar`, as PyTorch does. Otherwise the running statistics normalise. `weight` and `bias`
/// [C] are the optional affine transform. `averageFactor` is PyTorch's momentum (0.1 by default), or
/// 1/num_batches_tracked for a cumulative average.
public func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                      bias: Tensor? = nil, training: Bool, averageFactor: Float = 0.1, eps: Float = 1e-5) throws -> Tensor {
    let op = "batchNorm"
    guard x.rank >= 2 else { throw TensorError(op, "expected an input with a channel dimension [N, C, …], got \(shapeText(x.shape))") }
    let batch = x.shape[0], channels = x.shape[1]
    let inner = x.shape.dropFirst(2).reduce(1, *)
    for (name, tensor) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
        if let tensor, tensor.shape != [channels] {
            throw TensorError(op, "\(name) must have shape [\(channels)] for input \(shapeText(x.shape)), got \(shapeText(tensor.shape))")
        }
    }
    let perChannel = batch * inner
    guard training || (runningMean != nil && runningVar != nil) else {
        throw TensorError(op, "evaluation mode needs running_mean and running_var")
    }
    if training && perChannel <= 1 {
        throw TensorError(op, "expected more than 1 value per channel when training, got input \(shapeText(x.shape))")
    }
    let xc = x.contiguousData()
    var mean = [Float](repeating: 0, count: channels)
    var inverseStd = [Float](repeating: 0, count: channels)
    if training {
        var unbiased = [Float](repeating: 0, count: channels)
        for c in 0 ..< channels {
            var sum = 0.0
            for n in 0 ..< batch {
                let src = xc.base + (n * channels + c) * inner
                for i in 0 ..< inner { sum += Double(src[i]) }
            }
            let m = sum / Double(perChannel)
            var squares = 0.0
            for n in 0 ..< batch {
                let src = xc.base + (n * channels + c) * inner
                for i in 0 ..< inner { let d = Double(src[i]) - m; squares += d * d }
            }
            mean[c] = Float(m)
            inverseStd[c] = Float(1 / (squares / Double(perChannel) + Double(eps)).squareRoot())
            unbiased[c] = Float(squares / Double(perChannel - 1))
        }
        try Autograd.noGrad {
            if let runningMean {
                let old = runningMean.toArray()
                try runningMean.copyData(from: Tensor(zip(old, mean).map { (1 - averageFactor) * $0 + averageFactor * $1 }))
            }
            if let runningVar {
                let old = runningVar.toArray()
                try runningVar.copyData(from: Tensor(zip(old, unbiased).map { (1 - averageFactor) * $0 + averageFactor * $1 }))
            }
        }
    } else if let runningMean, let runningVar {
        mean = runningMean.toArray()
        inverseStd = runningVar.toArray().map { 1 / ($0 + eps).squareRoot() }
    }
    let scale = weight?.toArray() ?? [Float](repeating: 1, count: channels)
    let shift = bias?.toArray() ?? [Float](repeating: 0, count: channels)
    let out = Tensor.uninitialized(x.shape)
    for n in 0 ..< batch {
        for c in 0 ..< channels {
            let src = xc.base + (n * channels + c) * inner, dst = out.base + (n * channels + c) * inner
            let a = inverseStd[c] * scale[c], b = shift[c] - mean[c] * a
            for i in 0 ..< inner { dst[i] = src[i] * a + b }
        }
    }
    if Tensor.recording(x, weight, bias) {
        let shape = x.shape
        out.record("NativeBatchNormBackward0", x, weight, bias) { node, g in
            let gc = g.contiguousData()
            // Per channel: Σdy and Σdy·x̂, with x̂ = (x − mean)·rstd.
            var sumG = [Double](repeating: 0, count: channels), sumGH = [Double](repeating: 0, count: channels)
            for n in 0 ..< batch {
                for c in 0 ..< channels {
                    let gp = gc.base + (n * channels + c) * inner, xp = xc.base + (n * channels + c) * inner
                    let m = mean[c], r = inverseStd[c]
                    var s = 0.0, sh = 0.0
                    for i in 0 ..< inner {
                        s += Double(gp[i])
                        sh += Double(gp[i]) * Double((xp[i] - m) * r)
                    }
                    sumG[c] += s
                    sumGH[c] += sh
                }
            }
            var gx: Tensor?
            if node.needs(0) {
                let t = Tensor.uninitialized(shape)
                for n in 0 ..< batch {
                    for c in 0 ..< channels {
                        let gp = gc.base + (n * channels + c) * inner, xp = xc.base + (n * channels + c) * inner
                        let dst = t.base + (n * channels + c) * inner
                        let r = inverseStd[c], k = scale[c] * r
                        if training {
                            // dx = w·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)): the batch statistics depend on x too.
                            let meanG = Float(sumG[c] / Double(perChannel)), meanGH = Float(sumGH[c] / Double(perChannel))
                            let m = mean[c]
                            for i in 0 ..< inner { dst[i] = k * (gp[i] - meanG - (xp[i] - m) * r * meanGH) }
                        } else {
                            for i in 0 ..< inner { dst[i] = k * gp[i] }
                        }
                    }
                }
                gx = t
            }
            let gw = node.needs(1) ? Tensor(sumGH.map { Float($0) }) : nil
            let gb = node.needs(2) ? Tensor(sumG.map { Float($0) }) : nil
            return InputGradients(gx, gw, gb)
        }
    }
    return out
}
