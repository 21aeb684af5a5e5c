import NNCore

/// The book's NestMLP (6.1): `net = Sequential(LazyLinear(64), ReLU(), LazyLinear(32), ReLU())`,
/// `linear = LazyLinear(16)`, `linear(net(x))`.
public final class NestMLP: Module {
    /// The nested Sequential.
    public let net: Sequential
    /// The final layer.
    public let linear: Linear

    /// Creates the network with lazy layers.
    public override init() {
        net = Sequential(LazyLinear(64), ReLU(), LazyLinear(32), ReLU())
        linear = LazyLinear(16)
        super.init()
        addModule("net", net)
        addModule("linear", linear)
    }

    /// `linear(net(x))`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try linear(try net(x))
    }
}
