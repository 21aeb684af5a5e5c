import NNCore
import NNModules

// Llama as transformers' modeling_llama defines it, and the models that share its shape (Qwen2 with q/k/v biases,
// Mistral): RMSNorm, rotary positions, grouped-query attention, SwiGLU. Class names carry the family's prefix.

/// Attention with rotary positions and key/value heads shared by groups of query heads (LlamaAttention).
final class LlamaAttention: TransformerModule {
    let qProj: Linear, kProj: Linear, vProj: Linear, oProj: Linear
    let heads: Int, keyValueHeads: Int
    private(set) var lastProbabilities: Tensor?

    init(_ config: TransformerConfig, prefix: String) {
        let h = config.hiddenSize, d = config.headDimension
        heads = config.headCount
        keyValueHeads = config.keyValueHeadCount
        qProj = Self.linear(h, heads * d, bias: config.queryKeyValueBias, owner: "q_proj")
        kProj = Self.linear(h, keyValueHeads * d, bias: config.queryKeyValueBias, owner: "k_proj")
        vProj = Self.linear(h, keyValueHeads * d, bias: config.queryKeyValueBias, owner: "v_proj")
        oProj = Self.linear(heads * d, h, bias: config.outputProjectionBias, owner: "o_proj")
        super.init(className: prefix + "Attention")
        addModule("q_proj", qProj)
        addModule("k_proj", kProj)
        addModule("v_proj", vProj)
        addModule("o_proj", oProj)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor, rotary: (cos: Tensor, sin: Tensor)) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) {
            let q = try applyRotaryEmbedding(splitHeads(qProj(hidden), heads: heads), cos: rotary.cos, sin: rotary.sin)
            let k = try applyRotaryEmbedding(splitHeads(kProj(hidden), heads: keyValueHeads),
                                                     cos: rotary.cos, sin: rotary.sin)
            let v = try splitHeads(vProj(hidden), heads: keyValueHeads)
            let groups = heads / keyValueHeads
            let (context, probabilities) = try scaledDotProductAttention(
                query: q, key: repeatKeyValueHeads(k, times: groups),
                value: repeatKeyValueHeads(v, times: groups), additiveMask: additiveMask,
                keepingProbabilities: isCapturingAttention)
            lastProbabilities = probabilities?.detach()
            if let probabilities { captureAttention(probabilities) }
            return try oProj(mergeHeads(context))
        }
    }
}

/// down(act(gate(x)) · up(x)) (LlamaMLP).
final class LlamaMLP: TransformerModule {
    let gateProj: Linear, upProj: Linear, downProj: Linear, activation: Activation

    init(_ config: TransformerConfig, prefix: String) {
        let h = config.hiddenSize, f = config.intermediateSize
        gateProj = Self.linear(h, f, bias: config.mlpBias, owner: "gate_proj")
        upProj = Self.linear(h, f, bias: config.mlpBias, owner: "up_proj")
        downProj = Self.linear(f, h, bias: config.mlpBias, owner: "down_proj")
        activation = Activation(config.activation)
        super.init(className: prefix + "MLP")
        addModule("gate_proj", gateProj)
        addModule("up_proj", upProj)
        addModule("down_proj", downProj)
        addModule("act_fn", activation)
    }

    override func forward(_ x: Tensor) throws -> Tensor { try downProj(activation(gateProj(x)) * upProj(x)) }
}

/// One pre-norm decoder block (LlamaDecoderLayer).
final class LlamaDecoderLayer: TransformerModule {
    let attention: LlamaAttention, mlp: LlamaMLP, inputNorm: RMSNorm, postAttentionNorm: RMSNorm

    init(_ config: TransformerConfig, prefix: String) {
        attention = LlamaAttention(config, prefix: prefix)
        mlp = LlamaMLP(config, prefix: prefix)
        inputNorm = RMSNorm(width: config.hiddenSize, eps: config.normEps, classPrefix: prefix)
        postAttentionNorm = RMSNorm(width: config.hiddenSize, eps: config.normEps, classPrefix: prefix)
        super.init(className: prefix + "DecoderLayer")
        addModule("self_attn", attention)
        addModule("mlp", mlp)
        addModule("input_layernorm", inputNorm)
        addModule("post_attention_layernorm", postAttentionNorm)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor, rotary: (cos: Tensor, sin: Tensor)) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) {
            let attended = try hidden + attention(inputNorm(hidden), additiveMask: additiveMask, rotary: rotary)
            return try attended + mlp(postAttentionNorm(attended))
        }
    }
}

/// Computes the rotary tables; no parameters and no saved buffers (LlamaRotaryEmbedding's `inv_freq` is not
/// persistent).
final class RotaryEmbedding: TransformerModule {
    let headDimension: Int
    /// θ^(−2i/D), stretched as the config's `rope_scaling` says.
    let inverseFrequencies: [Float]

    init(_ config: TransformerConfig, prefix: String) throws {
        headDimension = config.headDimension
        inverseFrequencies = config.rotaryScaling.apply(
            to: try rotaryInverseFrequencies(headDimension: config.headDimension, theta: config.ropeTheta))
        super.init(className: prefix + "RotaryEmbedding")
    }

    func tables(count: Int) throws -> (cos: Tensor, sin: Tensor) {
        try rotaryEmbeddingTables(positions: Array(0 ..< count), inverseFrequencies: inverseFrequencies)
    }
}

/// LlamaModel: embed_tokens → layers → norm.
public final class LlamaModel: TransformerModule, TransformerModel {
    public let config: TransformerConfig
    let embedTokens: Embedding, layers: [LlamaDecoderLayer], norm: RMSNorm, rotary: RotaryEmbedding

    init(_ config: TransformerConfig, prefix: String) throws {
        self.config = config
        embedTokens = try Self.embedding(config.vocabSize, config.hiddenSize, owner: "embed_tokens")
        layers = (0 ..< config.layerCount).map { _ in LlamaDecoderLayer(config, prefix: prefix) }
        norm = RMSNorm(width: config.hiddenSize, eps: config.normEps, classPrefix: prefix)
        rotary = try RotaryEmbedding(config, prefix: prefix)
        super.init(className: prefix + "Model")
        addModule("embed_tokens", embedTokens)
        addModule("layers", ModuleList(layers))
        addModule("norm", norm)
        addModule("rotary_emb", rotary)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) { try compute(inputIDs, attentionMask) }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil).lastHiddenState }

    func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?) throws -> TransformerOutput {
        try checkInputs(inputIDs, attentionMask, maxPositions: nil)
        let count = inputIDs.shape[1]
        let mask = try attentionBias(attentionMask: attentionMask ?? Tensor.ones(inputIDs.shape),
                                                     queryLength: count, causal: true,
                                                     slidingWindow: config.slidingWindow)
        let tables = try rotary.tables(count: count)
        var hidden = try embedTokens(inputIDs)
        let list = child("layers")!
        for layer in layers {
            hidden = try list.containerScope {
                try layer(hidden, additiveMask: mask, rotary: tables)
            }
        }
        return TransformerOutput(lastHiddenState: try norm(hidden), logits: nil)
    }
}

/// LlamaForCausalLM (and Qwen2ForCausalLM, MistralForCausalLM): model → lm_head, tied to model.embed_tokens
/// when `tie_word_embeddings`.
public final class LlamaForCausalLM: TransformerModule, TransformerModel {
    public let config: TransformerConfig
    let model: LlamaModel, lmHead: Linear

    init(_ config: TransformerConfig, prefix: String) throws {
        self.config = config
        model = try LlamaModel(config, prefix: prefix)
        let weight = config.tieWordEmbeddings ? model.embedTokens.parameterSlot("weight")!
            : Self.emptySlot("weight", [config.vocabSize, config.hiddenSize], owner: "lm_head")
        lmHead = Linear(weightSlot: weight, biasSlot: nil)
        super.init(className: prefix + "ForCausalLM")
        addModule("model", model)
        addModule("lm_head", lmHead)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) { try compute(inputIDs, attentionMask) }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil).logits! }

    private func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?) throws -> TransformerOutput {
        let hidden = try model(inputIDs: inputIDs, attentionMask: attentionMask).lastHiddenState
        return TransformerOutput(lastHiddenState: hidden, logits: try lmHead(hidden))
    }
}
