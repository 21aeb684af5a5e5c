import NNCore
import NNModules

/// An activation as transformers' `ACT2FN` makes it, under its class name: `gelu` → GELUActivation (erf),
/// `gelu_new` → NewGELUActivation (tanh), `gelu_pytorch_tanh` → PytorchGELUTanh, `silu`/`swish` → SiLU,
/// `relu` → ReLU.
final class Activation: Module {
    /// transformers' name of the function (`gelu_new`).
    let function: String

    init(_ function: String) {
        self.function = function
        super.init()
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        switch function {
        case "gelu": return x.gelu(approximate: .none)
        case "gelu_new", "gelu_pytorch_tanh": return x.gelu(approximate: .tanh)
        case "relu": return x.relu()
        default: return x.silu()
        }
    }

    /// The GELU formula this activation computes, nil when it is not a GELU.
    var geluApproximation: GELUApproximation? {
        switch function {
        case "gelu": GELUApproximation.none
        case "gelu_new", "gelu_pytorch_tanh": .tanh
        default: nil
        }
    }

    override var typeName: String {
        switch function {
        case "gelu": "GELUActivation"
        case "gelu_new": "NewGELUActivation"
        case "gelu_pytorch_tanh": "PytorchGELUTanh"
        case "relu": "ReLU"
        default: "SiLU"
        }
    }
}

/// GPT-2's `Conv1D`: a linear layer whose weight is stored [in, out] (transformers' `pytorch_utils.Conv1D`).
final class Conv1D: Module {
    let weightSlot: ParameterSlot
    let biasSlot: ParameterSlot

    init(input: Int, output: Int) {
        weightSlot = TransformerModule.emptySlot("weight", [input, output], owner: "Conv1D(nf=\(output), nx=\(input))")
        biasSlot = TransformerModule.emptySlot("bias", [output], owner: "Conv1D(nf=\(output), nx=\(input))")
        super.init()
        registerParameter("weight", weightSlot)
        registerParameter("bias", biasSlot)
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        try conv1D(x, weight: weightSlot.tensor(), bias: biasSlot.tensor())
    }

    override var typeName: String { "Conv1D" }

    override var summary: String {
        "Conv1D(\(weightSlot.shape.dimensions[0] ?? 0) → \(weightSlot.shape.dimensions[1] ?? 0))"
    }
}

/// RMSNorm with a learned scale (transformers' LlamaRMSNorm, Qwen2RMSNorm, MistralRMSNorm).
final class RMSNorm: TransformerModule {
    let weightSlot: ParameterSlot
    let eps: Float

    init(width: Int, eps: Float, classPrefix: String) {
        weightSlot = Self.emptySlot("weight", [width], owner: "\(classPrefix)RMSNorm(\(width))")
        self.eps = eps
        super.init(className: classPrefix + "RMSNorm")
        registerParameter("weight", weightSlot)
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        try rmsNorm(x, weight: weightSlot.tensor(), eps: eps)
    }

    override var extraDescription: String { "(\(weightSlot.shape.dimensions[0] ?? 0),), eps=\(eps)" }
}

/// `activation(dense(x))` as two module calls of the caller's children (each recorded in the trace with its own
/// output, whose gradient a capture may keep), with the bias add and a GELU computed in one pass over the product
/// (`fused`: NNCore's `linearGELU` or `conv1DGELU` on the layer's parameters). Any other activation, or a layer
/// not `ready` (parameters its own forward would first initialise), runs unfused.
func affineThenActivation(_ x: Tensor, dense: Module, activation: Activation, ready: Bool = true,
                          fused: (GELUApproximation) throws -> (affine: Tensor, activated: Tensor)) throws -> Tensor {
    guard ready, let approximate = activation.geluApproximation else { return try activation(dense(x)) }
    var activated: Tensor?
    let affine: Tensor = try dense.scopedCall(inputShape: x.shape, recordedOutput: { $0 }) {
        let result = try fused(approximate)
        activated = result.activated
        return result.affine
    }
    return try activation.scopedCall(inputShape: affine.shape, recordedOutput: { $0 }) { () -> Tensor in activated! }
}
