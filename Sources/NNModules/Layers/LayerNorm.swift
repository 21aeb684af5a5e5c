import NNCore

/// Layer normalisation over the trailing `normalizedShape` dimensions (PyTorch's `nn.LayerNorm`), with an
/// elementwise affine `weight` (ones) and `bias` (zeros) unless `elementwiseAffine` is false.
public final class LayerNorm: Module {
    /// The trailing dimensions normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance for stability.
    public let eps: Float
    /// Whether `weight` and `bias` are learnt.
    public let elementwiseAffine: Bool
    /// Whether the affine transform adds a learned `bias` (PyTorch's `bias=False` keeps only `weight`).
    public let hasBias: Bool

    /// Creates the layer; throws for an empty or negative `normalizedShape`.
    public init(_ normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw ModuleError(.invalidArgument,
                              "LayerNorm: normalized shape \(LazyShape(known: normalizedShape)) must be non-empty and positive")
        }
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.elementwiseAffine = elementwiseAffine
        self.hasBias = elementwiseAffine && bias
        super.init()
        if elementwiseAffine {
            registerParameter("weight", Tensor.ones(normalizedShape))
            if bias { registerParameter("bias", Tensor.zeros(normalizedShape)) }
        }
    }

    /// A layer over given parameter slots (weight and optional bias of one complete shape), e.g. waiting for values
    /// a loader fills in.
    public init(weightSlot: ParameterSlot, biasSlot: ParameterSlot?, eps: Float) throws {
        guard let shape = weightSlot.shape.completeShape, !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw ModuleError(.invalidArgument, "LayerNorm: the weight must have a complete positive shape, got \(weightSlot.shape)")
        }
        self.normalizedShape = shape
        self.eps = eps
        self.elementwiseAffine = true
        self.hasBias = biasSlot != nil
        super.init()
        registerParameter("weight", weightSlot)
        if let biasSlot { registerParameter("bias", biasSlot) }
    }

    /// Convenience for one normalised dimension.
    public convenience init(_ width: Int, eps: Float = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) throws {
        try self.init([width], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    /// `(x − mean) / √(var + eps) · weight + bias` over the trailing dimensions.
    public override func forward(_ x: Tensor) throws -> Tensor {
        guard Array(x.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw ModuleError(.shapeMismatch,
                              "\(summary): input of shape \(LazyShape(known: x.shape)) does not end with \(LazyShape(known: normalizedShape))")
        }
        return try layerNorm(x, normalizedShape: normalizedShape,
                             weight: elementwiseAffine ? try parameter("weight") : nil,
                             bias: hasBias ? try parameter("bias") : nil, eps: eps)
    }

    /// `LayerNorm([8])`.
    public override var summary: String { "LayerNorm(\(LazyShape(known: normalizedShape)))" }

    /// `(8,), eps=1e-05, elementwise_affine=True`.
    public override var extraDescription: String {
        let shape = normalizedShape.count == 1 ? "(\(normalizedShape[0]),)"
            : "(" + normalizedShape.map(String.init).joined(separator: ", ") + ")"
        return "\(shape), eps=\(eps), elementwise_affine=\(elementwiseAffine ? "True" : "False")"
            + (elementwiseAffine && !hasBias ? ", bias=False" : "")
    }
}

/// `LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)`: weight and bias of the normalised
/// shape; the output has the input's shape.
public struct LayerNormDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let shape: [Int]
        let eps: Float
        let affine, bias: Bool
        public var description: String { "LayerNorm(\(shape))" }
    }

    public init() {}
    public var name: String { "LayerNorm" }
    public var arguments: [LayerArgument] {
        [.required("normalized_shape"), LayerArgument("eps", .value(.float(1e-5))),
         LayerArgument("elementwise_affine", .value(.bool(true))), LayerArgument("bias", .value(.bool(true)))]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(shape: try arguments.shape("normalized_shape"), eps: Float(try arguments.float("eps", default: 1e-5)),
                      affine: try arguments.bool("elementwise_affine", default: true), bias: try arguments.bool("bias", default: true))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        guard c.affine else { return [] }
        return [LayerTensor("weight", c.shape)] + (c.bias ? [LayerTensor("bias", c.shape)] : [])
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        guard Array(input.suffix(c.shape.count)) == c.shape else {
            throw ModuleError(.shapeMismatch, "\(c): input of shape \(LazyShape(known: input)) does not end with \(LazyShape(known: c.shape))")
        }
        return LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module {
        try LayerNorm(c.shape, eps: c.eps, elementwiseAffine: c.affine, bias: c.bias)
    }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.list([.int(3), .int(4)])]), inputShape: [2, 3, 4]),
         LayerExample(ModuleArguments([.int(5)], keyword: [("elementwise_affine", .bool(false))]), inputShape: [2, 5]),
         LayerExample(ModuleArguments([.int(5)], keyword: [("eps", .float(1e-3)), ("bias", .bool(false))]), inputShape: [5])]
    }
}
