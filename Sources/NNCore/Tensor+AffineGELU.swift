import Dispatch

// A linear layer followed by GELU (BERT's intermediate dense → gelu, GPT-2's c_fc → gelu_new) with the bias and
// the activation applied in one pass over the product, split over the cores. The graph is the unfused one: the
// affine output is a tensor of its own (a module call records it and may capture its gradient) recorded as
// `linear`/`conv1D` record it, and the activation's node takes it as input, as `gelu` would.

/// `gelu(linear(x, weight, bias), approximate:)` with both results: the affine output (`linear`'s value and
/// node) and its GELU (`gelu`'s value and node). The bias add and the activation are one pass over the product.
public func linearGELU(_ x: Tensor, weight: Tensor, bias: Tensor?,
                       approximate: GELUApproximation) throws -> (affine: Tensor, activated: Tensor) {
    try affineGELU(x, weight: weight, bias: bias, approximate: approximate, inputMajor: false, op: "linearGELU")
}

/// `gelu(conv1D(x, weight, bias), approximate:)` with both results, as `linearGELU` (GPT-2's weight [in, out]).
public func conv1DGELU(_ x: Tensor, weight: Tensor, bias: Tensor?,
                       approximate: GELUApproximation) throws -> (affine: Tensor, activated: Tensor) {
    try affineGELU(x, weight: weight, bias: bias, approximate: approximate, inputMajor: true, op: "conv1DGELU")
}

/// Both fused ops: the weight is [out, in] (`linear`) or, `inputMajor`, [in, out] (`conv1D`).
private func affineGELU(_ x: Tensor, weight: Tensor, bias: Tensor?, approximate: GELUApproximation, inputMajor: Bool,
                        op: String) throws -> (affine: Tensor, activated: Tensor) {
    guard weight.rank == 2 else {
        throw TensorError(op, "weight must be 2-d\(inputMajor ? " [in, out]" : ""), got shape \(shapeText(weight.shape))")
    }
    let inFeatures = weight.shape[inputMajor ? 0 : 1], outFeatures = weight.shape[inputMajor ? 1 : 0]
    try checkAffineOperands(x, weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures, op: op)
    let result = affineProduct(x, weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures,
                               weightIsInputMajor: inputMajor, thenGELU: approximate)
    return (result.affine, result.activated!)
}

private func checkAffineOperands(_ x: Tensor, weight: Tensor, bias: Tensor?, inFeatures: Int, outFeatures: Int,
                                 op: String) throws {
    guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
        throw TensorError(op, "input \(shapeText(x.shape)) and weight \(shapeText(weight.shape)): input features \(x.shape.last.map(String.init) ?? "none") and \(inFeatures) differ")
    }
    if let bias, bias.shape != [outFeatures] {
        throw TensorError(op, "bias \(shapeText(bias.shape)) does not match weight \(shapeText(weight.shape)) (expected [\(outFeatures)])")
    }
}

/// Pointers the epilogue's threads share; each writes its own rows.
private struct EpilogueBuffers: @unchecked Sendable {
    let product: UnsafeMutablePointer<Float>
    let bias: UnsafePointer<Float>?
    let activated: UnsafeMutablePointer<Float>
}

/// Adds `bias` (when given) to each of the `rows` rows of `columns` floats at `product` in place, and writes GELU
/// of the sums to `activated`: the same additions as the bias loop and the same formula as `gelu`, so the values
/// are bit for bit the unfused ones. Large outputs are split by rows over the cores (the product already ran on
/// both; this pass alone was a tenth of a BERT forward on one core).
func biasGELUEpilogue(product: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                      activated: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                      approximate: GELUApproximation) {
    let buffers = EpilogueBuffers(product: product, bias: bias, activated: activated)
    let cores = PackedGemm.processorCount
    let parts = rows * columns >= 1 << 15 ? Swift.min(cores, rows) : 1
    if parts <= 1 {
        biasGELURows(buffers, first: 0, count: rows, columns: columns, approximate: approximate)
        return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let first = rows * part / parts, last = rows * (part + 1) / parts
        biasGELURows(buffers, first: first, count: last - first, columns: columns, approximate: approximate)
    }
}

@inline(__always)
private func biasGELURows(_ buffers: EpilogueBuffers, first: Int, count: Int, columns: Int,
                          approximate: GELUApproximation) {
    for r in first ..< first + count {
        let row = buffers.product + r * columns, out = buffers.activated + r * columns
        if let bias = buffers.bias {
            VectorMath.map(columns) { i, lanes in
                let v = VectorMath.load(row, i, lanes) + VectorMath.load(bias, i, lanes)
                VectorMath.store(v, row, i, lanes)
                VectorMath.store(GELUKernel.value(v, approximate: approximate), out, i, lanes)
            }
        } else {
            VectorMath.map(columns) { i, lanes in
                VectorMath.store(GELUKernel.value(VectorMath.load(UnsafePointer(row), i, lanes), approximate: approximate),
                                 out, i, lanes)
            }
        }
    }
}

extension Tensor {
    /// Makes `activated` (GELU of this tensor's values, computed elsewhere) the output of `gelu`'s node on this
    /// tensor, when this tensor records a gradient.
    func recordGELU(_ activated: Tensor, approximate: GELUApproximation) {
        guard Tensor.recording(self) else { return }
        let x = detach()
        activated.record("GeluBackward0", [self]) { _, g in
            geluGradient(g, input: x, approximate: approximate)
        }
    }
}
