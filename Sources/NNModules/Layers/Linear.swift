import NNCore

/// A fully connected layer `y = x Wᵀ + b` (PyTorch's `nn.Linear`), with `weight` of shape [out, in] and `bias`
/// of shape [out]. When `inFeatures` is unknown (see `LazyLinear`) the weight waits for the first input.
open class Linear: Module {
    /// Output width.
    public let outFeatures: Int
    /// Whether the layer adds a bias.
    public let hasBias: Bool
    /// The slot of the weight, shape [out, in] (in unknown until a lazy layer is initialised).
    public let weightSlot: ParameterSlot
    /// The slot of the bias, shape [out], or nil without bias.
    public let biasSlot: ParameterSlot?

    /// A layer from `inFeatures` to `outFeatures`, initialised like PyTorch (weight and bias uniform in
    /// ±1/√inFeatures) from the process-wide generator.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        precondition(inFeatures >= 0 && outFeatures >= 0, "Linear: negative size (\(inFeatures), \(outFeatures))")
        let ownerName = "Linear(\(inFeatures) → \(outFeatures))"
        self.outFeatures = outFeatures
        self.hasBias = bias
        let (weight, biasTensor) = Linear.defaultInitialisation(inFeatures: inFeatures, outFeatures: outFeatures, bias: bias)
        weightSlot = ParameterSlot(weight, name: "weight", owner: ownerName)
        biasSlot = biasTensor.map { ParameterSlot($0, name: "bias", owner: ownerName) }
        super.init()
        registerParameter("weight", weightSlot)
        if let biasSlot { registerParameter("bias", biasSlot) }
    }

    /// A layer over given parameter slots (weight [out, in], bias [out]), which may be shared with other modules
    /// (a language model's head tied to its token embedding registers the embedding's slot) or still waiting for
    /// values a loader fills in. The weight slot's shape must be complete and 2-d.
    public init(weightSlot: ParameterSlot, biasSlot: ParameterSlot?) {
        let dimensions = weightSlot.shape.completeShape ?? []
        precondition(dimensions.count == 2, "Linear(weightSlot:): the weight must have a complete 2-d shape, got \(weightSlot.shape)")
        self.outFeatures = dimensions[0]
        self.hasBias = biasSlot != nil
        self.weightSlot = weightSlot
        self.biasSlot = biasSlot
        super.init()
        registerParameter("weight", weightSlot)
        if let biasSlot { registerParameter("bias", biasSlot) }
    }

    /// A layer whose input width is found from its first input (used by `LazyLinear`).
    init(lazyOutFeatures outFeatures: Int, bias: Bool) {
        precondition(outFeatures >= 0, "LazyLinear: negative size \(outFeatures)")
        let ownerName = "LazyLinear(out=\(outFeatures))"
        self.outFeatures = outFeatures
        self.hasBias = bias
        weightSlot = ParameterSlot(uninitialised: LazyShape([outFeatures, nil]), name: "weight", owner: ownerName)
        biasSlot = bias ? ParameterSlot(uninitialised: LazyShape([outFeatures]), name: "bias", owner: ownerName) : nil
        super.init()
        registerParameter("weight", weightSlot)
        if let biasSlot { registerParameter("bias", biasSlot) }
    }

    /// Input width; nil while a lazy layer has not seen an input or a state dict.
    public var inFeatures: Int? {
        weightSlot.shape.dimensions.count == 2 ? weightSlot.shape.dimensions[1] : nil
    }

    /// True once the weight (and bias) hold values.
    public var isInitialised: Bool {
        weightSlot.isInitialised && (biasSlot?.isInitialised ?? true)
    }

    /// The weight [out, in]; throws while a lazy layer is not initialised.
    public var weight: Tensor {
        get throws { try weightSlot.tensor() }
    }

    /// The bias [out]; nil without bias; throws while a lazy layer is not initialised.
    public var bias: Tensor? {
        get throws { try biasSlot?.tensor() }
    }

    /// `x Wᵀ + b` over the last dimension of `x`; a lazy layer first takes its input width from `x`.
    open override func forward(_ x: Tensor) throws -> Tensor {
        guard let width = x.shape.last else {
            throw ModuleError(.shapeMismatch, "\(summary): input must have at least one dimension, got a scalar")
        }
        try materialiseIfNeeded(inFeatures: width)
        let weight = try weightSlot.tensor()
        guard weight.shape[1] == width else {
            throw ModuleError(.shapeMismatch,
                              "\(summary): input of shape \(LazyShape(known: x.shape)) has \(width) features, expected \(weight.shape[1])")
        }
        return try NNCore.linear(x, weight: weight, bias: try biasSlot?.tensor())
    }

    /// Gives uninitialised slots PyTorch's default values for `inFeatures` (a state dict may have filled some).
    func materialiseIfNeeded(inFeatures: Int) throws {
        guard !isInitialised else { return }
        let known = self.inFeatures ?? inFeatures
        let (weight, bias) = Linear.defaultInitialisation(inFeatures: known, outFeatures: outFeatures, bias: hasBias)
        if !weightSlot.isInitialised { try weightSlot.materialise(weight) }
        if let biasSlot, let bias, !biasSlot.isInitialised { try biasSlot.materialise(bias) }
    }

    /// PyTorch's `reset_parameters`: kaiming-uniform with a = √5 (bound 1/√fan_in) for the weight, uniform
    /// ±1/√fan_in for the bias.
    static func defaultInitialisation(inFeatures: Int, outFeatures: Int, bias: Bool) -> (Tensor, Tensor?) {
        let bound: Float = inFeatures > 0 ? 1 / Float(inFeatures).squareRoot() : 0
        return Tensor.withDefaultGenerator { generator in
            let weight = Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, generator: &generator)
            let biasTensor = bias ? Tensor.uniform([outFeatures], low: -bound, high: bound, generator: &generator) : nil
            return (weight, biasTensor)
        }
    }

    /// `Linear` once the input width is known, `LazyLinear` before (PyTorch's LazyLinear becomes a Linear).
    open override var typeName: String {
        isInitialised || !(self is LazyLinear) ? "Linear" : "LazyLinear"
    }

    /// `Linear(8 → 8)`, or `LazyLinear(? → 8)` before the input width is known.
    open override var summary: String {
        let input = inFeatures.map(String.init) ?? "?"
        return "\(typeName)(\(input) → \(outFeatures)\(hasBias ? "" : ", no bias"))"
    }

    /// `in_features=20, out_features=256, bias=True` (in_features=0 while unknown, as PyTorch prints it).
    open override var extraDescription: String {
        "in_features=\(inFeatures ?? 0), out_features=\(outFeatures), bias=\(hasBias ? "True" : "False")"
    }
}

/// A `Linear` layer whose input width comes from its first input or from a loaded state dict (PyTorch's
/// `nn.LazyLinear`). Reading its weight before that throws a clear error.
public final class LazyLinear: Linear {
    /// A lazy layer with `outFeatures` outputs.
    public init(_ outFeatures: Int, bias: Bool = true) {
        super.init(lazyOutFeatures: outFeatures, bias: bias)
    }
}

/// `Linear(in_features, out_features, bias=True)`: weight [out, in], bias [out]; [..., in] → [..., out].
public struct LinearDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let inFeatures, outFeatures: Int
        let bias: Bool
        public var description: String { "Linear(\(inFeatures), \(outFeatures))" }
    }

    public init() {}
    public var name: String { "Linear" }
    public var arguments: [LayerArgument] {
        [.required("in_features"), .required("out_features"), LayerArgument("bias", .value(.bool(true)))]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(inFeatures: try arguments.size("in_features"), outFeatures: try arguments.size("out_features"),
                      bias: try arguments.bool("bias", default: true))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("weight", [c.outFeatures, c.inFeatures])] + (c.bias ? [LayerTensor("bias", [c.outFeatures])] : [])
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try LinearDescription.output(input, width: c.inFeatures, to: c.outFeatures, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { Linear(c.inFeatures, c.outFeatures, bias: c.bias) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(4), .int(3)]), inputShape: [2, 4]),
         LayerExample(ModuleArguments([.int(4), .int(3)], keyword: [("bias", .bool(false))]), inputShape: [4]),
         LayerExample(ModuleArguments([.int(5), .int(2)]), inputShape: [2, 3, 5])]
    }

    /// A product of `input` [..., width] with a [width, outputs] matrix: [..., outputs]; nil `width` takes any.
    static func output(_ input: [Int], width: Int?, to outputs: Int, layer: String) throws -> [Int] {
        guard let last = input.last else {
            throw ModuleError(.shapeMismatch, "\(layer): input must have at least one dimension, got a scalar")
        }
        if let width, last != width {
            throw ModuleError(.shapeMismatch, "\(layer): expected inputs of width \(width), got \(LazyShape(known: input))")
        }
        return input.dropLast() + [outputs]
    }
}

/// `LazyLinear(out_features, bias=True)`: the weight's input width is the first input's last dimension.
public struct LazyLinearDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let outFeatures: Int
        let bias: Bool
        public var description: String { "LazyLinear(\(outFeatures))" }
    }

    public init() {}
    public var name: String { "LazyLinear" }
    public var arguments: [LayerArgument] { [.required("out_features"), LayerArgument("bias", .value(.bool(true)))] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(outFeatures: try arguments.size("out_features"), bias: try arguments.bool("bias", default: true))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("weight", LazyShape([c.outFeatures, nil]))] + (c.bias ? [LayerTensor("bias", [c.outFeatures])] : [])
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try LinearDescription.output(input, width: nil, to: c.outFeatures, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { LazyLinear(c.outFeatures, bias: c.bias) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(3)]), inputShape: [2, 5]),
         LayerExample(ModuleArguments([.int(2)], keyword: [("bias", .bool(false))]), inputShape: [4, 1, 6])]
    }
}
