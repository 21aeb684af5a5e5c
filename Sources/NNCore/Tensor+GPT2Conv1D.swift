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
    // Linear's path with the weight read the other way round (no transposed copy).
    return affineProduct(x, weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures,
                         weightIsInputMajor: true)
}
