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
