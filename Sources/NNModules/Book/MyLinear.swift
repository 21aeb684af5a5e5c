import NNCore

/// The book's MyLinear (6.5, layers with parameters): `weight` of shape [in_units, units] and `bias` of shape
/// [units], both standard normal, and `relu(X @ weight.data + bias.data)`.
///
/// As in the book, forward reads the parameters through `.data`: the product is not recorded for them, so no
/// gradient ever reaches `weight` or `bias` (the explorer shows them without one after a backward pass; inputs
/// still get theirs). That is the book's point about `.data`, kept rather than "fixed".
public final class MyLinear: Module {
    /// The weight [inUnits, units] (note: transposed relative to `Linear`'s [out, in]).
    public let weight: Tensor
    /// The bias [units].
    public let bias: Tensor

    /// A layer from `inUnits` to `units`, weight and bias drawn from the process-wide generator.
    public init(_ inUnits: Int, _ units: Int) {
        precondition(inUnits >= 0 && units >= 0, "MyLinear: negative size (\(inUnits), \(units))")
        (weight, bias) = Tensor.withDefaultGenerator { generator in
            (Tensor.randn([inUnits, units], generator: &generator), Tensor.randn([units], generator: &generator))
        }
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", bias)
    }

    /// `MyLinear(64 → 8)`.
    public override var summary: String {
        "MyLinear(\(weight.shape.first ?? 0) → \(weight.shape.last ?? 0))"
    }

    /// `relu(x @ weight.data + bias.data)`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try (x.matmul(weight.data) + bias.data).relu()
    }
}

/// The book's `MyLinear(in_units, units)`: weight [in, units], bias [units]; [..., in] → [..., units].
public struct MyLinearDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let inUnits, units: Int
        public var description: String { "MyLinear(\(inUnits), \(units))" }
    }

    public init() {}
    public var name: String { "MyLinear" }
    public var arguments: [LayerArgument] { [.required("in_units"), .required("units")] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(inUnits: try arguments.size("in_units"), units: try arguments.size("units"))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("weight", [c.inUnits, c.units]), LayerTensor("bias", [c.units])]
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try LinearDescription.output(input, width: c.inUnits, to: c.units, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { MyLinear(c.inUnits, c.units) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(5), .int(3)]), inputShape: [2, 5])]
    }
}
