import NNCore

/// The book's FixedHiddenMLP (6.1): a constant random 20×20 matrix kept as the non-trainable buffer
/// `rand_weight`, one `linear = LazyLinear(20)` applied twice, a halving loop, and a scalar output.
public final class FixedHiddenMLP: Module {
    /// The layer used before and after the fixed hidden matrix.
    public let linear: Linear

    /// Creates the network; `rand_weight` is uniform in [0, 1) from the process-wide generator.
    public override init() {
        linear = LazyLinear(20)
        super.init()
        registerBuffer("rand_weight", Tensor.rand([20, 20]))
        addModule("linear", linear)
    }

    /// The constant matrix (not trained).
    public var randWeight: Tensor {
        // Registered in init and never removed.
        buffer("rand_weight") ?? Tensor.zeros([20, 20])
    }

    /// `x = linear(x); x = relu(x @ rand_weight + 1); x = linear(x)`; halve while `|x|.sum() > 1`; `x.sum()`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        var x = try linear(x)
        x = try (x.matmul(randWeight) + 1).relu()
        x = try linear(x)
        // Control flow on tensor values, as the book shows. A non-finite sum would never drop below 1.
        while true {
            let total = try x.abs().sum().item()
            guard total.isFinite else {
                throw ModuleError(.invalidArgument, "FixedHiddenMLP: activations are not finite, cannot halve them below 1")
            }
            guard total > 1 else { break }
            x = x / 2
        }
        return x.sum()
    }
}

/// The book's `FixedHiddenMLP()`: one LazyLinear(20) used twice around a fixed [20, 20] buffer, summed to a scalar;
/// its input must be 20 wide (the second use feeds the layer its own 20-wide output).
public struct FixedHiddenMLPDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible { public var description: String { "FixedHiddenMLP()" } }

    public init() {}
    public var name: String { "FixedHiddenMLP" }
    public var arguments: [LayerArgument] { [] }
    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration { Configuration() }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("rand_weight", [20, 20], isBuffer: true), LayerTensor("linear.weight", LazyShape([20, nil])),
         LayerTensor("linear.bias", [20])]
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        let hidden = try LinearDescription.output(input, width: 20, to: 20, layer: c.description)
        return LayerActivation(output: [], largestIntermediate: try CheckedSize.product(hidden, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { FixedHiddenMLP() }
    public func examples() throws -> [LayerExample] { [LayerExample(ModuleArguments(), inputShape: [3, 20])] }
}
