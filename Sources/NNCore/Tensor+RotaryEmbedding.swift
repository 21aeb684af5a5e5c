/// Rotary position embedding as transformers applies it (non-interleaved halves, `rotate_half`):
/// x·cos + rotate_half(x)·sin, where rotate_half([x₁, x₂]) = [−x₂, x₁] over the two halves of the head dimension.
///
/// `x` is [B, H, T, D] with D even; `cos` and `sin` are [T, D], [B, T, D] or [B, 1, T, D] (shared by all heads; a
/// leading 1 instead of B shares one table with every sequence).
/// Gradients flow to x, cos and sin.
public func applyRotaryEmbedding(_ x: Tensor, cos: Tensor, sin: Tensor) throws -> Tensor {
    let op = "applyRotaryEmbedding"
    guard x.rank == 4 else {
        throw TensorError(op, "input must be [batch, heads, length, head dim], got \(shapeText(x.shape))")
    }
    let batch = x.shape[0], heads = x.shape[1], length = x.shape[2], width = x.shape[3]
    guard width % 2 == 0 else { throw TensorError(op, "head dim \(width) of input \(shapeText(x.shape)) is odd") }
    guard cos.shape == sin.shape else {
        throw TensorError(op, "cos \(shapeText(cos.shape)) and sin \(shapeText(sin.shape)) differ")
    }
    // One table per sequence (B of them) or one for every sequence ([T, D], or a leading 1 as transformers gives
    // for position ids of shape [1, T]).
    let tables: Int?
    switch cos.rank {
    case 2: tables = cos.shape == [length, width] ? 1 : nil
    case 3: tables = Array(cos.shape.dropFirst()) == [length, width] ? cos.shape[0] : nil
    case 4: tables = Array(cos.shape.dropFirst()) == [1, length, width] ? cos.shape[0] : nil
    default: tables = nil
    }
    guard let tables, tables == 1 || tables == batch else {
        throw TensorError(op, "cos/sin \(shapeText(cos.shape)) do not fit input \(shapeText(x.shape)) (expected [\(length), \(width)], [\(batch), \(length), \(width)] or [\(batch), 1, \(length), \(width)])")
    }
    let perBatch = tables > 1
    let half = width / 2
    let xc = x.contiguousData(), cc = cos.contiguousData(), sc = sin.contiguousData()
    let out = Tensor.uninitialized(x.shape)
    let table = length * width
    for b in 0..<batch {
        let c0 = cc.base + (perBatch ? b * table : 0), s0 = sc.base + (perBatch ? b * table : 0)
        for h in 0..<heads {
            let rows = (b * heads + h) * table
            for t in 0..<length {
                let src = xc.base + rows + t * width, dst = out.base + rows + t * width
                let c = c0 + t * width, s = s0 + t * width
                for j in 0..<half {
                    dst[j] = src[j] * c[j] - src[j + half] * s[j]
                    dst[j + half] = src[j + half] * c[j + half] + src[j] * s[j + half]
                }
            }
        }
    }
    if Tensor.recording(x, cos, sin) {
        let xShape = x.shape, tableShape = cos.shape
        out.record("RotaryEmbeddingBackward0", x, cos, sin) { node, g in
            let gc = g.contiguousData()
            let gx = node.needs(0) ? Tensor.uninitialized(xShape) : nil
            let gcos = node.needs(1) ? Tensor.zeros(tableShape) : nil
            let gsin = node.needs(2) ? Tensor.zeros(tableShape) : nil
            for b in 0..<batch {
                let tableOffset = perBatch ? b * table : 0
                let c0 = cc.base + tableOffset, s0 = sc.base + tableOffset
                for h in 0..<heads {
                    let rows = (b * heads + h) * table
                    for t in 0..<length {
                        let gp = gc.base + rows + t * width, src = xc.base + rows + t * width
                        let c = c0 + t * width, s = s0 + t * width
                        if let gx {
                            // The transpose of the rotation: dx₁ = g₁·cos₁ + g₂·sin₂, dx₂ = g₂·cos₂ − g₁·sin₁.
                            let dst = gx.base + rows + t * width
                            for j in 0..<half {
                                dst[j] = gp[j] * c[j] + gp[j + half] * s[j + half]
                                dst[j + half] = gp[j + half] * c[j + half] - gp[j] * s[j]
                            }
                        }
                        if let gcos {
                            let dst = gcos.base + tableOffset + t * width
                            for j in 0..<width { dst[j] += gp[j] * src[j] }
                        }
                        if let gsin {
                            let dst = gsin.base + tableOffset + t * width
                            for j in 0..<half {
                                dst[j] -= gp[j] * src[j + half]
                                dst[j + half] += gp[j + half] * src[j]
                            }
                        }
                    }
                }
            }
            return InputGradients(gx, gcos, gsin)
        }
    }
    return out
}

/// The cos and sin tables [T, D] of rotary embeddings for `positions` (T of them), head dimension D and base
/// `theta`, as transformers' `LlamaRotaryEmbedding` computes them for the default rope type, in float32:
/// inv_freq_i = 1 / θ^(2i/D), angle = position·inv_freq, each table repeating its D/2 angles twice.
public func rotaryEmbeddingTables(positions: [Int], headDimension: Int, theta: Double) throws -> (cos: Tensor, sin: Tensor) {
    try rotaryEmbeddingTables(positions: positions,
                              inverseFrequencies: rotaryInverseFrequencies(headDimension: headDimension, theta: theta))
}

/// θ^(−2i/D) for i < D/2 in float32, as PyTorch computes LlamaRotaryEmbedding's `inv_freq`: the exponent 2i/D and
/// the power each rounded to float.
public func rotaryInverseFrequencies(headDimension: Int, theta: Double) throws -> [Float] {
    let op = "rotaryEmbeddingTables"
    guard headDimension > 0, headDimension % 2 == 0 else {
        throw TensorError(op, "head dimension \(headDimension) must be positive and even")
    }
    guard theta.isFinite, theta > 0 else { throw TensorError(op, "theta \(theta) must be positive and finite") }
    return (0 ..< headDimension / 2).map { i in
        let exponent = Float(2 * i) / Float(headDimension)
        return 1 / Float(_pow(theta, Double(exponent)))
    }
}

/// The cos and sin tables [positions, 2·frequencies] for given inverse frequencies (a scaled RoPE's): the angle
/// position·inv_freq is rounded to float as PyTorch's, and only its cos and sin are evaluated in double.
public func rotaryEmbeddingTables(positions: [Int], inverseFrequencies: [Float]) throws -> (cos: Tensor, sin: Tensor) {
    let op = "rotaryEmbeddingTables"
    guard !inverseFrequencies.isEmpty, inverseFrequencies.allSatisfy({ $0.isFinite }) else {
        throw TensorError(op, "the inverse frequencies must be finite and at least one")
    }
    let headDimension = inverseFrequencies.count * 2
    _ = try checkedCount([positions.count, headDimension], op: op)
    let half = inverseFrequencies.count
    let cosTable = Tensor.uninitialized([positions.count, headDimension])
    let sinTable = Tensor.uninitialized([positions.count, headDimension])
    for (t, position) in positions.enumerated() {
        let c = cosTable.base + t * headDimension, s = sinTable.base + t * headDimension
        for i in 0..<half {
            let angle = Double(Float(position) * inverseFrequencies[i])
            c[i] = Float(_cos(angle))
            c[i + half] = c[i]
            s[i] = Float(_sin(angle))
            s[i + half] = s[i]
        }
    }
    return (cosTable, sinTable)
}
