import NNCore
import NNModules

/// A module shown under transformers' class name (`BertLayer`, `GPT2Block`, `LlamaDecoderLayer`, …). Its
/// parameters start as empty slots of their final shapes, filled by `WeightBinder` from a file, so building a
/// model allocates nothing.
open class TransformerModule: Module {
    /// transformers' class name.
    public let className: String

    init(className: String) {
        self.className = className
        super.init()
    }

    open override var typeName: String { className }

    /// A parameter slot of a known shape, waiting for its values.
    static func emptySlot(_ name: String, _ shape: [Int], owner: String) -> ParameterSlot {
        ParameterSlot(uninitialised: LazyShape(known: shape), name: name, owner: owner)
    }

    /// `nn.Linear(input, output, bias:)` with empty slots.
    static func linear(_ input: Int, _ output: Int, bias: Bool, owner: String) -> Linear {
        Linear(weightSlot: emptySlot("weight", [output, input], owner: owner),
               biasSlot: bias ? emptySlot("bias", [output], owner: owner) : nil)
    }

    /// `nn.Embedding(count, width)` with an empty slot.
    static func embedding(_ count: Int, _ width: Int, owner: String) throws -> Embedding {
        try Embedding(weightSlot: emptySlot("weight", [count, width], owner: owner))
    }

    /// `nn.LayerNorm(width, eps:)` with empty slots.
    static func layerNorm(_ width: Int, eps: Float, owner: String) throws -> LayerNorm {
        try LayerNorm(weightSlot: emptySlot("weight", [width], owner: owner),
                      biasSlot: emptySlot("bias", [width], owner: owner), eps: eps)
    }
}

/// transformers' `nn.ModuleList`: children named 0, 1, …, no forward of its own.
final class ModuleList: Module {
    init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() { addModule(String(index), module) }
    }

    override var typeName: String { "ModuleList" }
}

/// A dropout of transformers' models: kept so the tree has transformers' modules; the models run in eval mode,
/// where it passes its input through.
func makeDropout(_ probability: Double) throws -> Dropout {
    try Dropout(p: Float(min(max(probability, 0), 1)))
}
