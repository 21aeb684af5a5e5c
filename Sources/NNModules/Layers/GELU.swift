import NNCore

/// The Gaussian error linear unit (PyTorch's `nn.GELU`): exact with erf, or the tanh approximation.
public final class GELU: Module {
    /// Whether the tanh approximation is used instead of erf.
    public let approximate: GELUApproximation

    /// Creates the layer; `approximate: .tanh` selects PyTorch's `approximate='tanh'`.
    public init(approximate: GELUApproximation = .none) {
        self.approximate = approximate
        super.init()
    }

    /// `x Φ(x)`.
    public override func forward(_ x: Tensor) throws -> Tensor { x.gelu(approximate: approximate) }

    /// `approximate='none'`, as PyTorch prints it.
    public override var extraDescription: String { "approximate='\(approximate)'" }
}
