import NNCore

/// The book's MLP (6.1): `hidden = LazyLinear(256)`, `out = LazyLinear(10)`, `out(relu(hidden(x)))`.
public final class MLP: Module {
    /// The hidden layer.
    public let hidden: Linear
    /// The output layer.
    public let out: Linear

    /// Creates the network with lazy layers.
    public override init() {
        hidden = LazyLinear(256)
        out = LazyLinear(10)
        super.init()
        addModule("hidden", hidden)
        addModule("out", out)
    }

    /// `out(relu(hidden(x)))`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try out(try hidden(x).relu())
    }
}
