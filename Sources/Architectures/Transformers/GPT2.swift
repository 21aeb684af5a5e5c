import NNCore
import NNModules

// GPT-2 as transformers' modeling_gpt2 defines it: pre-LN blocks, Conv1D projections (weights [in, out]),
// learned positions, causal attention, an LM head tied to the token embedding.

/// Causal self-attention with one fused q/k/v projection (GPT2Attention).
final class GPT2Attention: TransformerModule {
    let cAttn: Conv1D, cProj: Conv1D
    let heads: Int
    let scale: Float
    private(set) var lastProbabilities: Tensor?

    init(_ config: TransformerConfig, layerIndex: Int) throws {
        let h = config.hiddenSize
        heads = config.headCount
        var scale: Float = config.scaleAttentionWeights ? 1 / Float(config.headDimension).squareRoot() : 1
        if config.scaleByInverseLayerIndex { scale /= Float(layerIndex + 1) }
        self.scale = scale
        cAttn = Conv1D(input: h, output: 3 * h)
        cProj = Conv1D(input: h, output: h)
        super.init(className: "GPT2Attention")
        addModule("c_attn", cAttn)
        addModule("c_proj", cProj)
        addModule("attn_dropout", try makeDropout(0.1))
        addModule("resid_dropout", try makeDropout(0.1))
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) { try compute(hidden, additiveMask) }
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let ones = Tensor.ones([x.shape[0], x.shape[1]])
        return try compute(x, attentionBias(attentionMask: ones, queryLength: x.shape[1], causal: true))
    }

    private func compute(_ hidden: Tensor, _ additiveMask: Tensor?) throws -> Tensor {
        let width = hidden.shape[2]
        let qkv = try cAttn(hidden)
        let q = try splitHeads(qkv.slice(dim: 2, start: 0, end: width), heads: heads)
        let k = try splitHeads(qkv.slice(dim: 2, start: width, end: 2 * width), heads: heads)
        let v = try splitHeads(qkv.slice(dim: 2, start: 2 * width, end: 3 * width), heads: heads)
        let (context, probabilities) = try scaledDotProductAttention(
            query: q, key: k, value: v, additiveMask: additiveMask, scale: scale,
            keepingProbabilities: isCapturingAttention)
        lastProbabilities = probabilities?.detach()
        if let probabilities { captureAttention(probabilities) }
        return try callChild("resid_dropout", cProj(mergeHeads(context)))
    }
}

/// c_fc → activation → c_proj (GPT2MLP).
final class GPT2MLP: TransformerModule {
    let cFc: Conv1D, cProj: Conv1D, activation: Activation

    init(_ config: TransformerConfig) throws {
        cFc = Conv1D(input: config.hiddenSize, output: config.intermediateSize)
        cProj = Conv1D(input: config.intermediateSize, output: config.hiddenSize)
        activation = Activation(config.activation)
        super.init(className: "GPT2MLP")
        addModule("c_fc", cFc)
        addModule("c_proj", cProj)
        addModule("act", activation)
        addModule("dropout", try makeDropout(0.1))
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let activated = try affineThenActivation(x, dense: cFc, activation: activation) {
            try conv1DGELU(x, weight: cFc.weightSlot.tensor(), bias: cFc.biasSlot.tensor(), approximate: $0)
        }
        return try callChild("dropout", cProj(activated))
    }
}

/// One pre-LN decoder block (GPT2Block).
final class GPT2Block: TransformerModule {
    let ln1: LayerNorm, attention: GPT2Attention, ln2: LayerNorm, mlp: GPT2MLP

    init(_ config: TransformerConfig, layerIndex: Int) throws {
        ln1 = try Self.layerNorm(config.hiddenSize, eps: config.normEps, owner: "ln_1")
        attention = try GPT2Attention(config, layerIndex: layerIndex)
        ln2 = try Self.layerNorm(config.hiddenSize, eps: config.normEps, owner: "ln_2")
        mlp = try GPT2MLP(config)
        super.init(className: "GPT2Block")
        addModule("ln_1", ln1)
        addModule("attn", attention)
        addModule("ln_2", ln2)
        addModule("mlp", mlp)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) {
            let attended = try hidden + attention(ln1(hidden), additiveMask: additiveMask)
            return try attended + mlp(ln2(attended))
        }
    }
}

/// GPT2Model: wte + wpe → blocks → ln_f.
public final class GPT2Model: TransformerModule, TransformerModel {
    public let config: TransformerConfig
    let wte: Embedding, wpe: Embedding, blocks: [GPT2Block], lnF: LayerNorm

    init(_ config: TransformerConfig) throws {
        self.config = config
        wte = try Self.embedding(config.vocabSize, config.hiddenSize, owner: "wte")
        wpe = try Self.embedding(config.maxPositions, config.hiddenSize, owner: "wpe")
        blocks = try (0 ..< config.layerCount).map { try GPT2Block(config, layerIndex: $0) }
        lnF = try Self.layerNorm(config.hiddenSize, eps: config.normEps, owner: "ln_f")
        super.init(className: "GPT2Model")
        addModule("wte", wte)
        addModule("wpe", wpe)
        addModule("drop", try makeDropout(0.1))
        addModule("h", ModuleList(blocks))
        addModule("ln_f", lnF)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) { try compute(inputIDs, attentionMask) }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil).lastHiddenState }

    func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?) throws -> TransformerOutput {
        try checkInputs(inputIDs, attentionMask, maxPositions: config.maxPositions)
        let mask = try attentionBias(attentionMask: attentionMask ?? Tensor.ones(inputIDs.shape),
                                                     queryLength: inputIDs.shape[1], causal: true)
        var hidden = try callChild("drop", wte(inputIDs) + wpe(positionIDs(inputIDs.shape[1])))
        let list = child("h")!
        for block in blocks {
            hidden = try list.containerScope {
                try block(hidden, additiveMask: mask)
            }
        }
        return TransformerOutput(lastHiddenState: try lnF(hidden), logits: nil)
    }
}

/// GPT2LMHeadModel: transformer → lm_head (tied to transformer.wte unless the config says otherwise).
public final class GPT2LMHeadModel: TransformerModule, TransformerModel {
    public let config: TransformerConfig
    let transformer: GPT2Model, lmHead: Linear

    init(_ config: TransformerConfig) throws {
        self.config = config
        transformer = try GPT2Model(config)
        let weight = config.tieWordEmbeddings ? transformer.wte.parameterSlot("weight")!
            : Self.emptySlot("weight", [config.vocabSize, config.hiddenSize], owner: "lm_head")
        lmHead = Linear(weightSlot: weight, biasSlot: nil)
        super.init(className: "GPT2LMHeadModel")
        addModule("transformer", transformer)
        addModule("lm_head", lmHead)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) { try compute(inputIDs, attentionMask) }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil).logits! }

    private func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?) throws -> TransformerOutput {
        let hidden = try transformer(inputIDs: inputIDs, attentionMask: attentionMask).lastHiddenState
        return TransformerOutput(lastHiddenState: hidden, logits: try lmHead(hidden))
    }
}
