import NNCore
import Testing

/// Finite-difference gradient checks, the one copy every test target uses: autograd's gradient of a scalar loss
/// with respect to each element of a tensor is compared with the central difference (f(x + h) − f(x − h)) / 2h,
/// the loss summed in Double. Each element may differ by `tolerance` relative to the larger of 1 and both values;
/// the worst element is reported, naming its index.

/// Checks autograd's gradients of `f` at each of `inputs` (each gets `requiresGrad`). The output is reduced to a
/// scalar with fixed pseudo-random weights in [0.5, 1.5), so every output element gets a distinct upstream
/// gradient.
public func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-3, tolerance: Double = 1e-2,
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
    try (f(inputs) * Tensor(weights, shape: probe.shape)).sum().backward()
    for (n, x) in inputs.enumerated() {
        let analytic = try #require(x.grad, "input \(n) got no gradient", sourceLocation: sourceLocation).toArray()
        try expectFiniteDifferences(analytic, of: weightedLoss, at: x, epsilon: epsilon, tolerance: tolerance,
                                    what: "input \(n)", sourceLocation: sourceLocation)
    }
}

/// Checks the gradient autograd already stored in `tensor.grad` (the caller ran backward on `f()`) against central
/// differences of the scalar `f` at every element of `tensor`; `h` is large enough for Float32 forward passes.
/// `name` says which tensor in a failure.
public func expectGradientMatchesFiniteDifferences(of f: () throws -> Tensor, at tensor: Tensor, h: Float = 1e-2,
                                                   tolerance: Double = 2e-2, named name: String? = nil,
                                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    let what = name ?? "tensor \(tensor.shape)"
    let analytic = try #require(tensor.grad, "\(what): no gradient was computed", sourceLocation: sourceLocation).toArray()
    try expectFiniteDifferences(analytic, of: { Double(try Autograd.noGrad { try f().item() }) }, at: tensor,
                                epsilon: h, tolerance: tolerance, what: what, sourceLocation: sourceLocation)
}

/// The comparison both checks share: `analytic` against central differences of `loss` at each element of `tensor`
/// (restored afterwards).
private func expectFiniteDifferences(_ analytic: [Float], of loss: () throws -> Double, at tensor: Tensor,
                                     epsilon: Float, tolerance: Double, what: String,
                                     sourceLocation: SourceLocation) throws {
    var worst: (error: Double, index: [Int], analytic: Double, numeric: Double)?
    for i in 0 ..< tensor.count {
        let index = unravel(i, shape: tensor.shape)
        let original = try tensor.element(at: index)
        try tensor.setElement(at: index, to: original + epsilon)
        let plus = try loss()
        try tensor.setElement(at: index, to: original - epsilon)
        let minus = try loss()
        try tensor.setElement(at: index, to: original)
        let numeric = (plus - minus) / (2 * Double(epsilon))
        let a = Double(analytic[i])
        let error = abs(a - numeric) / max(1, abs(a), abs(numeric))
        if error > (worst?.error ?? -1) { worst = (error, index, a, numeric) }
    }
    if let worst {
        #expect(worst.error <= tolerance,
                "\(what) element \(worst.index): autograd \(worst.analytic) vs finite difference \(worst.numeric)",
                sourceLocation: sourceLocation)
    }
}

/// Row-major multi-index of flat position `i` in `shape`.
public func unravel(_ i: Int, shape: [Int]) -> [Int] {
    var rest = i
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}
