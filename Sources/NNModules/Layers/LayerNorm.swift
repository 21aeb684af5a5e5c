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
