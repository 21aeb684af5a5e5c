extension Tensor {
    /// Joins tensors of equal shape except along `dim` (like `torch.cat`).
    public static func cat(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("cat", "expected a non-empty list of tensors") }
        guard first.rank > 0 else { throw TensorError("cat", "zero-dimensional tensors cannot be concatenated") }
        let d = try resolveDim(dim, rank: first.rank, op: "cat")
        var outShape = first.shape
        outShape[d] = 0
        for t in tensors {
            var expected = first.shape
            expected[d] = t.rank == first.rank ? t.shape[d] : -1
            guard t.shape == expected else {
                throw TensorError("cat", "shapes \(shapeText(first.shape)) and \(shapeText(t.shape)) differ outside dimension \(d)")
            }
            outShape[d] += t.shape[d]
        }
        let out = Tensor.uninitialized(outShape)
        var start = 0
        var bounds: [(Int, Int)] = []
        for t in tensors {
            let end = start + t.shape[d]
            let region = try Autograd.noGrad { try out.slice(dim: d, start: start, end: end) }
            copyElements(from: t, to: region)
            bounds.append((start, end))
            start = end
        }
        if Autograd.isGradEnabled && tensors.contains(where: \.requiresGrad) {
            out.record("CatBackward0", tensors) { node, g in
                InputGradients(try bounds.indices.map { i in
                    node.needs(i) ? try g.slice(dim: d, start: bounds[i].0, end: bounds[i].1).contiguousCopy() : nil
                })
            }
        }
        return out
    }

    /// Stacks tensors of equal shape along a new dimension `dim` (like `torch.stack`).
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack", "expected a non-empty list of tensors") }
        for t in tensors where t.shape != first.shape {
            throw TensorError("stack", "shapes \(shapeText(first.shape)) and \(shapeText(t.shape)) differ")
        }
        return try cat(tensors.map { try $0.unsqueeze(dim) }, dim: dim)
    }
}
