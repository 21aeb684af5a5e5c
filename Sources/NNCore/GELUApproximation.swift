/// Which formula `gelu` uses (PyTorch's `approximate=` argument).
public enum GELUApproximation: Sendable {
    /// The exact form x·Φ(x) with the error function.
    case none
    /// The tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    case tanh
}
