extension Tensor {
    /// Reads class-index targets stored as integral floats, checking each is a valid class.
    /// A target equal to `ignoreIndex` is kept as is (callers skip it).
    static func classIndices(_ targets: Tensor, classes: Int, op: String, ignoreIndex: Int? = nil) throws -> [Int] {
        try targets.toArray().map { v in
            if let ignoreIndex, v == Float(ignoreIndex) { return ignoreIndex }
            guard v == v.rounded(), v >= 0, v < Float(classes) else {
                throw TensorError(op, "target \(v) is not a class index in 0..<\(classes)")
            }
            return Int(v)
        }
    }

    /// Applies `reduction` to per-sample losses.
    func reduced(_ reduction: LossReduction) -> Tensor {
        switch reduction {
        case .mean: return mean()
        case .sum: return sum()
        case .none: return self
        }
    }
}

/// Negative log-likelihood of `logProbabilities` ([N, C], or [C] with a scalar target) at the class indices in
/// `targets` ([N] integral floats), like `F.nll_loss`. Targets equal to `ignoreIndex` (PyTorch's `ignore_index`,
/// -100 for transformers' labels) contribute nothing and the mean is over the others (NaN when all are ignored,
/// as in PyTorch).
public func nllLoss(_ logProbabilities: Tensor, targets: Tensor, ignoreIndex: Int? = nil,
                    reduction: LossReduction = .mean) throws -> Tensor {
    let x = logProbabilities
    let (n, classes, indices) = try classTargets(x, targets, ignoreIndex: ignoreIndex)
    let batched = x.rank == 2
    let counted = (0..<n).map { indices[$0] != ignoreIndex }
    let countedTotal = counted.reduce(0) { $0 + ($1 ? 1 : 0) }
    let xc = x.contiguousData()
    let perSample = Tensor.uninitialized(batched ? [n] : [])
    for r in 0..<n { perSample.base[r] = counted[r] ? -xc.base[r * classes + indices[r]] : 0 }
    var total = 0.0
    for r in 0..<n { total += Double(perSample.base[r]) }
    let out: Tensor
    switch reduction {
    case .none: out = perSample
    case .sum: out = Tensor(scalar: Float(total))
    case .mean: out = Tensor(scalar: Float(total / Double(countedTotal)))
    }
    if Tensor.recording(x) {
        let shape = x.shape
        out.record("NllLossBackward0", [x]) { _, g in
            let gc = g.contiguousData()
            let gx = Tensor.zeros(shape)
            for r in 0..<n where counted[r] {
                let upstream: Float
                switch reduction {
                case .none: upstream = gc.base[r]
                case .sum: upstream = gc.base[0]
                case .mean: upstream = gc.base[0] / Float(countedTotal)
                }
                gx.base[r * classes + indices[r]] = -upstream
            }
            return [gx]
        }
    }
    return out
}

/// The rows, classes and class indices of `nllLoss`'s input `x` ([N, C], or [C] with a scalar target) and
/// `targets`, checked.
private func classTargets(_ x: Tensor, _ targets: Tensor, ignoreIndex: Int?) throws
    -> (rows: Int, classes: Int, indices: [Int]) {
    let batched = x.rank == 2
    guard batched || x.rank == 1 else {
        throw TensorError("nllLoss", "input must be [N, C] or [C], got \(shapeText(x.shape))")
    }
    let n = batched ? x.shape[0] : 1
    let classes = x.shape[x.rank - 1]
    guard targets.count == n, targets.rank == (batched ? 1 : 0) || (!batched && targets.count == 1) else {
        throw TensorError("nllLoss", "input \(shapeText(x.shape)) needs targets of shape \(batched ? "[\(n)]" : "[]"), got \(shapeText(targets.shape))")
    }
    let indices = try Tensor.classIndices(targets, classes: classes, op: "nllLoss", ignoreIndex: ignoreIndex)
    return (n, classes, indices)
}

/// Cross-entropy of raw `logits` ([N, C] or [C]) against class indices `targets`, as `F.cross_entropy`:
/// log-softmax over classes followed by `nllLoss`; targets equal to `ignoreIndex` are skipped.
///
/// One recorded node (`NllLossBackward0`) for both: it keeps each row's log Σ eˣ instead of the log-softmax
/// output, and its backward writes `softmax − one-hot` (times the upstream gradient) straight into the logits'
/// gradient. The unfused pair kept a [N, C] log-softmax and passed a [N, C] one-hot gradient between them — for a
/// language model's 50257-word vocabulary two 13 MB buffers per step. Every value is computed by the same float
/// operations as `nllLoss(logits.logSoftmax(dim: -1), …)`, so the results are bit for bit the same.
public func crossEntropy(logits: Tensor, targets: Tensor, ignoreIndex: Int? = nil,
                         reduction: LossReduction = .mean) throws -> Tensor {
    guard logits.rank == 1 || logits.rank == 2 else {
        throw TensorError("crossEntropy", "logits must be [N, C] or [C], got \(shapeText(logits.shape))")
    }
    let (n, classes, indices) = try classTargets(logits, targets, ignoreIndex: ignoreIndex)
    let batched = logits.rank == 2
    let counted = (0..<n).map { indices[$0] != ignoreIndex }
    let countedTotal = counted.reduce(0) { $0 + ($1 ? 1 : 0) }
    let xc = logits.contiguousData()
    // log Σ eˣ per row, as `logSoftmaxRow` computes it; a log-probability is then x − logSumExp.
    var logSumExp = [Float](repeating: 0, count: n)
    for r in 0..<n {
        let row = xc.base + r * classes
        var m = -Float.infinity
        for j in 0..<classes { m = Swift.max(m, row[j]) }
        if m == -.infinity { m = 0 }
        var total = 0.0
        for j in 0..<classes { total += Double(_exp(row[j] - m)) }
        logSumExp[r] = m + Float(_log(total))
    }
    var total = 0.0
    var perSampleValues = [Float](repeating: 0, count: n)
    for r in 0..<n where counted[r] {
        perSampleValues[r] = -(xc.base[r * classes + indices[r]] - logSumExp[r])
    }
    for r in 0..<n { total += Double(perSampleValues[r]) }
    let out: Tensor
    switch reduction {
    case .none: out = try Tensor(perSampleValues, shape: batched ? [n] : [])
    case .sum: out = Tensor(scalar: Float(total))
    case .mean: out = Tensor(scalar: Float(total / Double(countedTotal)))
    }
    if Tensor.recording(logits) {
        let shape = logits.shape
        out.record("NllLossBackward0", [logits]) { _, g in
            let gc = g.contiguousData()
            let gx = Tensor.uninitialized(shape)
            for r in 0..<n {
                // The one-hot gradient nllLoss's backward gave this row: −upstream at the target, else 0 …
                var upstream: Float = 0
                if counted[r] {
                    switch reduction {
                    case .none: upstream = gc.base[r]
                    case .sum: upstream = gc.base[0]
                    case .mean: upstream = gc.base[0] / Float(countedTotal)
                    }
                }
                let targetGradient = -upstream
                // … its sum over the row, as log-softmax's backward adds it up (0 + … + (−upstream) + … + 0) …
                let rowSum: Float = counted[r] ? 0 + targetGradient : 0
                // … and log-softmax's backward, g − e^logp · Σg, for every class.
                let row = xc.base + r * classes, dx = gx.base + r * classes
                let lse = logSumExp[r]
                for j in 0..<classes { dx[j] = 0 - _exp(row[j] - lse) * rowSum }
                if counted[r] { dx[indices[r]] = targetGradient - _exp(row[indices[r]] - lse) * rowSum }
            }
            return [gx]
        }
    }
    return out
}

/// Mean squared error between `input` and `target` of the same shape, as `F.mse_loss`.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    guard input.shape == target.shape else {
        throw TensorError("mseLoss", "input \(shapeText(input.shape)) and target \(shapeText(target.shape)) differ in shape")
    }
    let diff = try Tensor.zipValues(input, target, op: "mseLoss") { $0 - $1 }
    let squares = diff.mapValues { $0 * $0 }
    let out: Tensor
    switch reduction {
    case .none: out = squares
    case .sum: out = Tensor(scalar: Float(squares.sumOfValues()))
    case .mean: out = Tensor(scalar: Float(squares.sumOfValues() / Double(squares.count)))
    }
    if Tensor.recording(input, target) {
        let n = Float(input.count)
        out.record("MseLossBackward0", [input, target]) { node, g in
            // d/dx (x − t)² = 2(x − t), scaled by the upstream gradient (and 1/N for the mean).
            let scale: Tensor
            switch reduction {
            case .none: scale = g
            case .sum: scale = g
            case .mean: scale = g / n
            }
            let gx = try Tensor.zipValues(diff, scale, op: "mseLoss") { 2 * $0 * $1 }
            return [node.needs(0) ? gx : nil, node.needs(1) ? gx.mapValues { -$0 } : nil]
        }
    }
    return out
}
