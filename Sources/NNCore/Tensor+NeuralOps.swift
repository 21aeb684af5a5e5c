import Dispatch

/// Rows of `weight` ([V, D]) picked by `indices` (integral floats, any shape); the result has shape
/// indices.shape + [D], like `F.embedding`. The gradient is scattered back into the picked rows, except the
/// `paddingIndex` row (PyTorch's padding_idx), which gets none.
public func embedding(indices: Tensor, weight: Tensor, paddingIndex: Int? = nil) throws -> Tensor {
    guard weight.rank == 2 else {
        throw TensorError("embedding", "weight must be 2-d, got \(shapeText(weight.shape))")
    }
    let vocabulary = weight.shape[0], width = weight.shape[1]
    let rows = try Tensor.classIndices(indices, classes: vocabulary, op: "embedding")
    let w = weight.contiguousData()
    let out = Tensor.uninitialized(indices.shape + [width])
    for (r, index) in rows.enumerated() {
        (out.base + r * width).update(from: w.base + index * width, count: width)
    }
    if Tensor.recording(weight) {
        out.record("EmbeddingBackward0", [weight]) { _, g in
            // Only the picked rows get a gradient: backward adds them where a dense [vocabulary, width] one would
            // go (see `RowGradient`). PyTorch's padding_idx: that row's value is used but gets no gradient.
            .rows(RowGradient(shape: [vocabulary, width], picks: rows, gradient: g.contiguousData(),
                              skipping: paddingIndex))
        }
    }
    return out
}

/// Layer normalisation over the trailing `normalizedShape` dimensions, with optional elementwise affine
/// `weight` and `bias` of that shape (biased variance, like `F.layer_norm`).
public func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Float = 1e-5) throws -> Tensor {
    let k = normalizedShape.count
    guard k >= 1, x.rank >= k, Array(x.shape.suffix(k)) == normalizedShape else {
        throw TensorError("layerNorm", "input \(shapeText(x.shape)) does not end with normalized shape \(shapeText(normalizedShape))")
    }
    if let weight, weight.shape != normalizedShape {
        throw TensorError("layerNorm", "weight \(shapeText(weight.shape)) does not match normalized shape \(shapeText(normalizedShape))")
    }
    if let bias, bias.shape != normalizedShape {
        throw TensorError("layerNorm", "bias \(shapeText(bias.shape)) does not match normalized shape \(shapeText(normalizedShape))")
    }
    let width = normalizedShape.reduce(1, *)
    let rows = width == 0 ? 0 : x.count / width
    let xc = x.contiguousData()
    let wc = weight?.contiguousData(), bc = bias?.contiguousData()
    let out = Tensor.uninitialized(x.shape)
    let recording = Tensor.recording(x, weight, bias)
    // x̂ is kept for backward only; without a gradient each row's x̂ goes where its output then overwrites it.
    let normalized = recording ? Tensor.uninitialized(x.shape) : out
    var inverseStd = [Float](repeating: 0, count: rows)
    inverseStd.withUnsafeMutableBufferPointer { rstd in
        let rows = LayerNormRows(input: UnsafePointer(xc.base), normalized: normalized.base, output: out.base,
                                 inverseStd: rstd.baseAddress, weight: wc.map { UnsafePointer($0.base) },
                                 bias: bc.map { UnsafePointer($0.base) }, width: width, eps: eps)
        rows.run(count: rstd.count)
    }
    withExtendedLifetime((xc, wc, bc)) {}
    if recording {
        let shape = x.shape
        out.record("NativeLayerNormBackward0", x, weight, bias) { node, g in
            let gc = g.contiguousData()
            let weightBase = wc.map { UnsafePointer($0.base) }  // captures wc, so a contiguous copy stays alive
            var gx: Tensor?, gw: Tensor?, gb: Tensor?
            if node.needs(0) {
                // dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = g·w
                let t = Tensor.uninitialized(shape)
                for r in 0..<rows {
                    LayerNormKernel.inputGradientRow(gc.base + r * width, normalized: normalized.base + r * width,
                                                     weight: weightBase, rstd: inverseStd[r], width: width,
                                                     into: t.base + r * width)
                }
                gx = t
            }
            if node.needs(1) || node.needs(2) {
                let dw = Tensor.zeros(normalizedShape), db = Tensor.zeros(normalizedShape)
                for r in 0..<rows {
                    LayerNormKernel.parameterGradientRow(gc.base + r * width, normalized: normalized.base + r * width,
                                                         width: width, weightGradient: dw.base, biasGradient: db.base)
                }
                gw = node.needs(1) ? dw : nil
                gb = node.needs(2) ? db : nil
            }
            return InputGradients(gx, gw, gb)
        }
    }
    return out
}

/// The pointers of one `layerNorm` forward; threads normalise disjoint rows.
private struct LayerNormRows: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let normalized, output: UnsafeMutablePointer<Float>
    let inverseStd: UnsafeMutablePointer<Float>?
    let weight, bias: UnsafePointer<Float>?
    let width: Int
    let eps: Float

    /// Normalises `count` rows, split over the cores when there are enough of them (a BERT layer's 128 × 384 is
    /// worth it: the products around it already use both cores).
    func run(count: Int) {
        let parts = count * width >= 1 << 15 ? Swift.min(PackedGemm.processorCount, count) : 1
        if parts <= 1 {
            normalise(0 ..< count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            normalise(count * part / parts ..< count * (part + 1) / parts)
        }
    }

    private func normalise(_ rows: Range<Int>) {
        for r in rows {
            inverseStd![r] = LayerNormKernel.forwardRow(input + r * width, normalized: normalized + r * width,
                                                        output: output + r * width, width: width, weight: weight,
                                                        bias: bias, eps: eps)
        }
    }
}

/// Elementwise choice with broadcasting: `a` where `condition` is non-zero, else `b` (like `torch.where`).
public func `where`(condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try broadcastShape(broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let c = try condition.detach().expand(to: shape).contiguousData()
    let ae = try a.detach().expand(to: shape).contiguousData()
    let be = try b.detach().expand(to: shape).contiguousData()
    let out = Tensor.uninitialized(shape)
    for i in 0..<out.count { out.base[i] = c.base[i] != 0 ? ae.base[i] : be.base[i] }
    if Tensor.recording(a, b) {
        let shapeA = a.shape, shapeB = b.shape
        out.record("WhereBackward0", [a, b]) { node, g in
            let ga = try Tensor.zipValues(g, c, op: "where") { $1 != 0 ? $0 : 0 }
            let gb = try Tensor.zipValues(g, c, op: "where") { $1 != 0 ? 0 : $0 }
            return [node.needs(0) ? ga.sum(toShape: shapeA) : nil, node.needs(1) ? gb.sum(toShape: shapeB) : nil]
        }
    }
    return out
}

extension Tensor {
    /// An inverted-dropout mask: each element is 0 with probability `probability`, else 1/(1 − probability).
    public static func dropoutMask(_ shape: [Int], probability: Float, generator: inout SeededGenerator) throws -> Tensor {
        guard probability >= 0 && probability <= 1 else {
            throw TensorError("dropout", "probability has to be between 0 and 1, but got \(probability)")
        }
        let keep = probability < 1 ? 1 / (1 - probability) : 0
        let mask = Tensor.zeros(shape)
        for i in 0..<mask.count { mask.base[i] = generator.nextUniform() < probability ? 0 : keep }
        return mask
    }

    /// Inverted dropout: multiplies by a fresh mask from `generator` (use only in training).
    public func dropout(probability: Float, generator: inout SeededGenerator) throws -> Tensor {
        try self * Tensor.dropoutMask(shape, probability: probability, generator: &generator)
    }

    /// Inverted dropout with a mask from the process-wide generator.
    public func dropout(probability: Float) throws -> Tensor {
        let mask = try DefaultGenerator.withGenerator { try Tensor.dropoutMask(shape, probability: probability, generator: &$0) }
        return try self * mask
    }
}
