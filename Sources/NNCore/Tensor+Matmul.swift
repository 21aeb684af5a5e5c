extension Tensor {
    /// Matrix product with PyTorch's rules: 1-d·1-d is a dot product, 1-d operands gain and lose a dimension,
    /// ≥3-d operands are batched with broadcast batch dimensions.
    ///
    /// Operands are read in place where their layout allows (contiguous, or the transpose of a contiguous tensor
    /// such as `k.transpose(-1, -2)`, or a matrix shared by every batch); only partly broadcast batches are copied.
    public func matmul(_ other: Tensor) throws -> Tensor {
        let a = self, b = other
        guard a.rank >= 1 && b.rank >= 1 else {
            throw TensorError("matmul", "\(shapeText(a.shape)) × \(shapeText(b.shape)): both arguments need at least 1 dimension")
        }
        let ka = a.shape[a.rank - 1]
        let kb = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard ka == kb else {
            throw TensorError("matmul", "\(shapeText(a.shape)) × \(shapeText(b.shape)): inner dimensions \(ka) and \(kb) differ")
        }
        let a2 = a.rank == 1 ? a.rawView(shape: [1, ka], strides: [0, a.strides[0]], offset: a.offset) : a.detach()
        let b2 = b.rank == 1 ? b.rawView(shape: [kb, 1], strides: [b.strides[0], 0], offset: b.offset) : b.detach()
        let m = a2.shape[a2.rank - 2], n = b2.shape[b2.rank - 1]
        let batch = try broadcastShape(Array(a2.shape.dropLast(2)), Array(b2.shape.dropLast(2)), op: "matmul")
        let left = ProductOperand(a2, batch: batch), right = ProductOperand(b2, batch: batch)
        let product = productOfBatches(left, right, batch: batch, m: m, n: n, k: ka)
        var outShape = batch
        if a.rank > 1 { outShape.append(m) }
        if b.rank > 1 { outShape.append(n) }
        let out = product.rawView(shape: outShape, strides: contiguousStrides(outShape), offset: 0)
        if Tensor.recording(a, b) {
            let name = a.rank == 1 && b.rank == 1 ? "DotBackward0"
                : (a.rank == 2 && b.rank == 2 ? "MmBackward0" : (a.rank == 2 && b.rank == 1 ? "MvBackward0" : "BmmBackward0"))
            let shapeA = a.shape, shapeB = b.shape, shapeA2 = a2.shape, shapeB2 = b2.shape
            let full = batch + [m, n]
            out.record(name, [a, b]) { node, g in
                let g2 = try g.contiguousData().reshape(full)
                var ga: Tensor?, gb: Tensor?
                if node.needs(0) {
                    // dA = dC·Bᵀ, summed over broadcast batch dimensions
                    ga = try batchedProductLeftGradient(g2, left, right, batch: batch, m: m, n: n, k: ka)
                        .sum(toShape: left.isShared ? [m, ka] : shapeA2).reshape(shapeA)
                }
                if node.needs(1) {
                    // dB = Aᵀ·dC
                    gb = try batchedProductRightGradient(g2, left, right, batch: batch, m: m, n: n, k: ka)
                        .sum(toShape: right.isShared ? [ka, n] : shapeB2).reshape(shapeB)
                }
                return [ga, gb]
            }
        }
        return out
    }
}

/// y = x·Wᵀ + b for x of shape [*, in], `weight` [out, in] and `bias` [out] (PyTorch's `F.linear`), fused so
/// Linear layers record one node (`AddmmBackward0` for 2-d input).
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    guard weight.rank == 2 else {
        throw TensorError("linear", "weight must be 2-d, got shape \(shapeText(weight.shape))")
    }
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
        throw TensorError("linear", "input \(shapeText(x.shape)) and weight \(shapeText(weight.shape)): input features \(x.shape.last.map(String.init) ?? "none") and \(inFeatures) differ")
    }
    if let bias, bias.shape != [outFeatures] {
        throw TensorError("linear", "bias \(shapeText(bias.shape)) does not match weight \(shapeText(weight.shape)) (expected [\(outFeatures)])")
    }
    return affineProduct(x, weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures,
                         weightIsInputMajor: false)
}

/// y = x·W + b over the last dimension, the one path of `linear` (weight [out, in], y = x·Wᵀ) and GPT-2's
/// `conv1D` (weight [in, out], y = x·W): the same products with B's transpose flag flipped, read in place either
/// way. Shapes are checked by the callers. One node records it (`AddmmBackward0`, `MmBackward0` without bias,
/// `ViewBackward0` for input of rank other than 2, as PyTorch names them).
func affineProduct(_ x: Tensor, weight: Tensor, bias: Tensor?, inFeatures: Int, outFeatures: Int,
                   weightIsInputMajor: Bool) -> Tensor {
    affineProduct(x, weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures,
                  weightIsInputMajor: weightIsInputMajor, thenGELU: nil).affine
}

/// `affineProduct`, and with `thenGELU` also GELU of its output (`activated`, recorded as `gelu` on the affine
/// output), the bias add and the activation done in one pass over the product (`biasGELUEpilogue`).
func affineProduct(_ x: Tensor, weight: Tensor, bias: Tensor?, inFeatures: Int, outFeatures: Int,
                   weightIsInputMajor: Bool, thenGELU approximate: GELUApproximation?) -> (affine: Tensor, activated: Tensor?) {
    // With no input features the rows are still the leading dimensions' product (each output is the bias).
    let rows = inFeatures == 0 ? x.shape.dropLast().reduce(1, *) : x.count / inFeatures
    let x2 = x.contiguousData()
    let w = weight.contiguousData()
    // A square layer's output has its input's shape: share that array (copy-on-write). Otherwise the usual 2-d
    // input as a literal: slicing and appending would allocate twice.
    let outShape = x.shape[x.rank - 1] == outFeatures ? x.shape
        : (x.rank == 2 ? [x.shape[0], outFeatures] : Array(x.shape.dropLast()) + [outFeatures])
    let out = Tensor.uninitialized(outShape)
    if inFeatures == 0 {
        out.base.update(repeating: 0, count: out.count)
    } else {
        // [out, in] is Wᵀ's storage: x·Wᵀ reads it transposed.
        matmulKernel(a: x2.base, b: w.base, c: out.base, m: rows, n: outFeatures, k: inFeatures,
                     transposeA: false, transposeB: !weightIsInputMajor)
    }
    var activated: Tensor?
    if let approximate {
        let y = Tensor.uninitialized(outShape)
        let b = bias?.contiguousData()
        biasGELUEpilogue(product: out.base, bias: b.map { UnsafePointer($0.base) }, activated: y.base, rows: rows,
                         columns: outFeatures, approximate: approximate)
        withExtendedLifetime(b) {}
        activated = y
    } else if let bias {
        let b = bias.contiguousData().base
        for r in 0..<rows { axpy(1, b, out.base + r * outFeatures, outFeatures) }
    }
    if Tensor.recording(x, weight, bias) {
        let name = x.rank == 2 ? (bias == nil ? "MmBackward0" : "AddmmBackward0") : "ViewBackward0"
        // The inputs' own shape arrays for their gradients: shared, where literals would allocate each step.
        let xShape = x.shape, weightShape = weight.shape, biasShape = bias?.shape ?? [outFeatures]
        out.record(name, x, weight, bias) { node, g in
            let gc = g.contiguousData()
            var gx: Tensor?, gw: Tensor?, gb: Tensor?
            if node.needs(0) {
                // dx = dy·W for W [out, in]; dy·Wᵀ for W [in, out]
                let t = Tensor.uninitialized(xShape)
                matmulKernel(a: gc.base, b: w.base, c: t.base, m: rows, n: inFeatures, k: outFeatures,
                             transposeA: false, transposeB: weightIsInputMajor)
                gx = t
            }
            if node.needs(1) {
                let t = Tensor.uninitialized(weightShape)
                if weightIsInputMajor {
                    // dW = xᵀ·dy
                    matmulKernel(a: x2.base, b: gc.base, c: t.base, m: inFeatures, n: outFeatures, k: rows,
                                 transposeA: true, transposeB: false)
                } else {
                    // dW = dyᵀ·x
                    matmulKernel(a: gc.base, b: x2.base, c: t.base, m: outFeatures, n: inFeatures, k: rows,
                                 transposeA: true, transposeB: false)
                }
                gw = t
            }
            if node.needs(2) {
                // db = Σ_rows dy
                let t = Tensor.zeros(biasShape)
                for r in 0..<rows { axpy(1, gc.base + r * outFeatures, t.base, outFeatures) }
                gb = t
            }
            return InputGradients(gx, gw, gb)
        }
    }
    if let approximate, let activated { out.recordGELU(activated, approximate: approximate) }
    return (out, activated)
}
