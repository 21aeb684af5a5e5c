/// GPT-2's `Conv1D` layer, a linear layer whose weight is stored [in, out]: y = x·W + b for x [*, in], `weight`
/// [in, out] and `bias` [out] (torch.addmm(bias, x, weight) over the flattened rows). One node records it.
public func conv1D(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    guard weight.rank == 2 else {
        throw TensorError("conv1D", "weight must be 2-d [in, out], got shape \(shapeText(weight.shape))")
    }
    let inFeatures = weight.shape[0], outFeatures = weight.shape[1]
    guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
        throw TensorError("conv1D", "input \(shapeText(x.shape)) and weight \(shapeText(weight.shape)): input features \(x.shape.last.map(String.init) ?? "none") and \(inFeatures) differ")
    }
    if let bias, bias.shape != [outFeatures] {
        throw TensorError("conv1D", "bias \(shapeText(bias.shape)) does not match weight \(shapeText(weight.shape)) (expected [\(outFeatures)])")
    }
    let rows = x.shape.dropLast().reduce(1, *)
    let x2 = x.contiguousData(), w = weight.contiguousData()
    let outShape = Array(x.shape.dropLast()) + [outFeatures]
    let out = Tensor.uninitialized(outShape)
    matmulKernel(a: x2.base, b: w.base, c: out.base, m: rows, n: outFeatures, k: inFeatures,
                 transposeA: false, transposeB: false)
    if let bias {
        let b = bias.contiguousData().base
        for r in 0..<rows { axpy(1, b, out.base + r * outFeatures, outFeatures) }
    }
    if Tensor.recording(x, weight, bias) {
        let name = x.rank == 2 ? (bias == nil ? "MmBackward0" : "AddmmBackward0") : "ViewBackward0"
        let xShape = x.shape, weightShape = weight.shape
        out.record(name, x, weight, bias) { node, g in
            let gc = g.contiguousData()
            var gx: Tensor?, gw: Tensor?, gb: Tensor?
            if node.needs(0) {
                // dx = dy·Wᵀ
                let t = Tensor.uninitialized(xShape)
                matmulKernel(a: gc.base, b: w.base, c: t.base, m: rows, n: inFeatures, k: outFeatures,
                             transposeA: false, transposeB: true)
                gx = t
            }
            if node.needs(1) {
                // dW = xᵀ·dy
                let t = Tensor.uninitialized(weightShape)
                matmulKernel(a: x2.base, b: gc.base, c: t.base, m: inFeatures, n: outFeatures, k: rows,
                             transposeA: true, transposeB: false)
                gw = t
            }
            if node.needs(2) {
                // db = Σ_rows dy
                let t = Tensor.zeros([outFeatures])
                for r in 0..<rows { axpy(1, gc.base + r * outFeatures, t.base, outFeatures) }
                gb = t
            }
            return InputGradients(gx, gw, gb)
        }
    }
    return out
}
