import NNCore
import Testing

/// Compares the autograd gradients of `f` at `inputs` with central finite differences.
///
/// The output is reduced to a scalar with fixed pseudo-random weights so every output element gets a distinct
/// upstream gradient. Losses are accumulated in Double; tolerance is 1e-2 relative (float32 forward passes).
func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-3, tolerance: Double = 1e-2,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) throws -> Tensor) throws {
    for x in inputs { x.requiresGrad = true; x.zeroGrad() }
    let probe = try Autograd.noGrad { try f(inputs) }
    var generator = SeededGenerator(seed: 99)
    let weights = Tensor.uniform(probe.shape, low: 0.5, high: 1.5, generator: &generator).toArray()
    func weightedLoss() throws -> Double {
        let out = try Autograd.noGrad { try f(inputs) }.toArray()
        return zip(out, weights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let out = try f(inputs)
    try (out * Tensor(weights, shape: probe.shape)).sum().backward()
    for (n, x) in inputs.enumerated() {
        let analytic = try #require(x.grad, "input \(n) got no gradient", sourceLocation: sourceLocation).toArray()
        for i in 0..<x.count {
            let index = unravel(i, shape: x.shape)
            let original = try x.element(at: index)
            try x.setElement(at: index, to: original + epsilon)
            let plus = try weightedLoss()
            try x.setElement(at: index, to: original - epsilon)
            let minus = try weightedLoss()
            try x.setElement(at: index, to: original)
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let a = Double(analytic[i])
            let scale = max(1, abs(a), abs(numeric))
            #expect(abs(a - numeric) <= tolerance * scale,
                    "input \(n) element \(index): autograd \(a) vs finite difference \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Row-major multi-index of flat position `i`.
func unravel(_ i: Int, shape: [Int]) -> [Int] {
    var rest = i
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}

/// A reproducible random tensor with values in [low, high).
func sample(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, generator: &generator)
}

/// Whether two arrays agree elementwise within `tolerance` (relative to magnitude, at least absolute).
func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
}
