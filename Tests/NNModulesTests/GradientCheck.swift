import NNCore
import Testing

/// Compares the gradient autograd stored in `tensor.grad` with central differences of `f` at every element of
/// `tensor` (the value of `f` is summed in Double by the caller's loss; `h` is large enough for Float32).
func expectGradientMatchesFiniteDifferences(of f: () throws -> Tensor, at tensor: Tensor, h: Float = 1e-2,
                                            tolerance: Float = 2e-2, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let analytic = try #require(tensor.grad, "no gradient was computed", sourceLocation: sourceLocation).toArray()
    let original = tensor.toArray()
    var worst: Float = 0
    for i in original.indices {
        var values = original
        values[i] = original[i] + h
        try tensor.copyData(from: Tensor(values, shape: tensor.shape))
        let plus = try Autograd.noGrad { try f().item() }
        values[i] = original[i] - h
        try tensor.copyData(from: Tensor(values, shape: tensor.shape))
        let minus = try Autograd.noGrad { try f().item() }
        let numeric = (plus - minus) / (2 * h)
        worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric)))
    }
    try tensor.copyData(from: Tensor(original, shape: tensor.shape))
    #expect(worst < tolerance, "largest relative gradient error \(worst)", sourceLocation: sourceLocation)
}
