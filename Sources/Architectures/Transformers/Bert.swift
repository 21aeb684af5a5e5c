import NNCore
import NNModules

// BERT as transformers' modeling_bert defines it: post-LN blocks, learned absolute positions, token types.

/// Word + token-type + position embeddings, then LayerNorm (transformers' BertEmbeddings).
final class BertEmbeddings: TransformerModule {
    let wordEmbeddings: Embedding, positionEmbeddings: Embedding, tokenTypeEmbeddings: Embedding
    let layerNorm: LayerNorm, dropout: Dropout

    init(_ config: TransformerConfig) throws {
        let h = config.hiddenSize
        wordEmbeddings = try Self.embedding(config.vocabSize, h, owner: "word_embeddings")
        positionEmbeddings = try Self.embedding(config.maxPositions, h, owner: "position_embeddings")
        tokenTypeEmbeddings = try Self.embedding(config.typeVocabSize, h, owner: "token_type_embeddings")
        layerNorm = try Self.layerNorm(h, eps: config.normEps, owner: "LayerNorm")
        dropout = try makeDropout(0.1)
        super.init(className: "BertEmbeddings")
        addModule("word_embeddings", wordEmbeddings)
        addModule("position_embeddings", positionEmbeddings)
        addModule("token_type_embeddings", tokenTypeEmbeddings)
        addModule("LayerNorm", layerNorm)
        addModule("dropout", dropout)
    }

    func callAsFunction(inputIDs: Tensor, tokenTypeIDs: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: { $0 }) { try compute(inputIDs, tokenTypeIDs) }
    }

    override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil) }

    private func compute(_ inputIDs: Tensor, _ tokenTypeIDs: Tensor?) throws -> Tensor {
        let words = try wordEmbeddings(inputIDs)
        let types = try tokenTypeEmbeddings(tokenTypeIDs ?? Tensor.zeros(inputIDs.shape))
        let positions = try positionEmbeddings(positionIDs(inputIDs.shape[1]))
        return try dropout(layerNorm((words + types) + positions))
    }
}

/// Query, key and value projections and scaled dot-product attention over heads (BertSelfAttention).
final class BertSelfAttention: TransformerModule {
    let query: Linear, key: Linear, value: Linear, dropout: Dropout
    let heads: Int
    /// The attention probabilities [B, heads, T, T] of the last call, detached; nil unless an activation capture
    /// asked for attention maps (they are not computed otherwise).
    private(set) var lastProbabilities: Tensor?

    init(_ config: TransformerConfig) throws {
        let h = config.hiddenSize
        heads = config.headCount
        query = Self.linear(h, h, bias: true, owner: "query")
        key = Self.linear(h, h, bias: true, owner: "key")
        value = Self.linear(h, h, bias: true, owner: "value")
        dropout = try makeDropout(0.1)
        super.init(className: "BertSelfAttention")
        addModule("query", query)
        addModule("key", key)
        addModule("value", value)
        addModule("dropout", dropout)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) { try compute(hidden, additiveMask) }
    }

    override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil) }

    private func compute(_ hidden: Tensor, _ additiveMask: Tensor?) throws -> Tensor {
        let q = try splitHeads(query(hidden), heads: heads)
        let k = try splitHeads(key(hidden), heads: heads)
        let v = try splitHeads(value(hidden), heads: heads)
        let (context, probabilities) = try scaledDotProductAttention(
            query: q, key: k, value: v, additiveMask: additiveMask, keepingProbabilities: isCapturingAttention)
        lastProbabilities = probabilities?.detach()
        if let probabilities { captureAttention(probabilities) }
        return try mergeHeads(context)
    }
}

/// dense → dropout → LayerNorm(· + residual) (BertSelfOutput and BertOutput share this shape).
final class BertResidualOutput: TransformerModule {
    let dense: Linear, layerNorm: LayerNorm, dropout: Dropout

    init(className: String, input: Int, _ config: TransformerConfig) throws {
        dense = Self.linear(input, config.hiddenSize, bias: true, owner: "dense")
        layerNorm = try Self.layerNorm(config.hiddenSize, eps: config.normEps, owner: "LayerNorm")
        dropout = try makeDropout(0.1)
        super.init(className: className)
        addModule("dense", dense)
        addModule("LayerNorm", layerNorm)
        addModule("dropout", dropout)
    }

    func callAsFunction(_ hidden: Tensor, residual: Tensor) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) {
            try layerNorm(dropout(dense(hidden)) + residual)
        }
    }
}

/// Self-attention and its output block (BertAttention).
final class BertAttention: TransformerModule {
    let selfAttention: BertSelfAttention, output: BertResidualOutput

    init(_ config: TransformerConfig) throws {
        selfAttention = try BertSelfAttention(config)
        output = try BertResidualOutput(className: "BertSelfOutput", input: config.hiddenSize, config)
        super.init(className: "BertAttention")
        addModule("self", selfAttention)
        addModule("output", output)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) {
            try output(selfAttention(hidden, additiveMask: additiveMask), residual: hidden)
        }
    }
}

/// dense → activation (BertIntermediate).
final class BertIntermediate: TransformerModule {
    let dense: Linear, activation: Activation

    init(_ config: TransformerConfig) {
        dense = Self.linear(config.hiddenSize, config.intermediateSize, bias: true, owner: "dense")
        activation = Activation(config.activation)
        super.init(className: "BertIntermediate")
        addModule("dense", dense)
        addModule("intermediate_act_fn", activation)
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        try affineThenActivation(x, dense: dense, activation: activation, ready: dense.isInitialised) {
            try linearGELU(x, weight: dense.weight, bias: dense.bias, approximate: $0)
        }
    }
}

/// One post-LN encoder block (BertLayer).
final class BertLayer: TransformerModule {
    let attention: BertAttention, intermediate: BertIntermediate, output: BertResidualOutput

    init(_ config: TransformerConfig) throws {
        attention = try BertAttention(config)
        intermediate = BertIntermediate(config)
        output = try BertResidualOutput(className: "BertOutput", input: config.intermediateSize, config)
        super.init(className: "BertLayer")
        addModule("attention", attention)
        addModule("intermediate", intermediate)
        addModule("output", output)
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) { try compute(hidden, additiveMask) }
    }

    override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil) }

    private func compute(_ hidden: Tensor, _ additiveMask: Tensor?) throws -> Tensor {
        let attended = try attention(hidden, additiveMask: additiveMask)
        return try output(intermediate(attended), residual: attended)
    }
}

/// The stack of layers (BertEncoder).
final class BertEncoder: TransformerModule {
    let layers: [BertLayer]

    init(_ config: TransformerConfig) throws {
        layers = try (0 ..< config.layerCount).map { _ in try BertLayer(config) }
        super.init(className: "BertEncoder")
        addModule("layer", ModuleList(layers))
    }

    func callAsFunction(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        try scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) { try compute(hidden, additiveMask) }
    }

    override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil) }

    private func compute(_ hidden: Tensor, _ additiveMask: Tensor?) throws -> Tensor {
        var hidden = hidden
        let list = child("layer")!
        for layer in layers {
            // The layer is a child of the ModuleList: call it inside the list's scope so its path is layer.N.
            hidden = try list.containerScope {
                try layer(hidden, additiveMask: additiveMask)
            }
        }
        return hidden
    }
}

/// tanh(dense(first token)) (BertPooler).
final class BertPooler: TransformerModule {
    let dense: Linear

    init(_ config: TransformerConfig) {
        dense = Self.linear(config.hiddenSize, config.hiddenSize, bias: true, owner: "dense")
        super.init(className: "BertPooler")
        addModule("dense", dense)
        addModule("activation", Tanh())
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        try callChild("activation", dense(x.select(dim: 1, index: 0)))
    }
}

/// BertModel: embeddings → encoder (→ pooler when the checkpoint has one).
public final class BertModel: TransformerModule, TokenTypeTakingModel {
    public let config: TransformerConfig
    let embeddings: BertEmbeddings, encoder: BertEncoder

    init(_ config: TransformerConfig, withPooler: Bool) throws {
        self.config = config
        embeddings = try BertEmbeddings(config)
        encoder = try BertEncoder(config)
        super.init(className: "BertModel")
        addModule("embeddings", embeddings)
        addModule("encoder", encoder)
        if withPooler { addModule("pooler", BertPooler(config)) }
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try callAsFunction(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: nil)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?, tokenTypeIDs: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) {
            try compute(inputIDs, attentionMask, tokenTypeIDs)
        }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil, nil).lastHiddenState }

    func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?, _ tokenTypeIDs: Tensor?) throws -> TransformerOutput {
        try checkInputs(inputIDs, attentionMask, maxPositions: config.maxPositions)
        try checkTokenTypes(tokenTypeIDs, inputIDs)
        let mask = try attentionMask.map {
            try attentionBias(attentionMask: $0, queryLength: inputIDs.shape[1], causal: false)
        }
        let hidden = try encoder(embeddings(inputIDs: inputIDs, tokenTypeIDs: tokenTypeIDs), additiveMask: mask)
        return TransformerOutput(lastHiddenState: hidden, logits: nil)
    }
}

/// dense → activation → LayerNorm (BertPredictionHeadTransform).
final class BertPredictionHeadTransform: TransformerModule {
    let dense: Linear, activation: Activation, layerNorm: LayerNorm

    init(_ config: TransformerConfig) throws {
        dense = Self.linear(config.hiddenSize, config.hiddenSize, bias: true, owner: "dense")
        activation = Activation(config.activation)
        layerNorm = try Self.layerNorm(config.hiddenSize, eps: config.normEps, owner: "LayerNorm")
        super.init(className: "BertPredictionHeadTransform")
        addModule("dense", dense)
        addModule("transform_act_fn", activation)
        addModule("LayerNorm", layerNorm)
    }

    override func forward(_ x: Tensor) throws -> Tensor { try layerNorm(activation(dense(x))) }
}

/// transform → decoder, whose weight is the word embedding's and whose bias is this module's `bias`
/// (BertLMPredictionHead).
final class BertLMPredictionHead: TransformerModule {
    let transform: BertPredictionHeadTransform, decoder: Linear

    init(_ config: TransformerConfig, wordEmbedding: ParameterSlot?) throws {
        transform = try BertPredictionHeadTransform(config)
        let bias = Self.emptySlot("bias", [config.vocabSize], owner: "BertLMPredictionHead")
        let weight = wordEmbedding ?? Self.emptySlot("weight", [config.vocabSize, config.hiddenSize], owner: "decoder")
        decoder = Linear(weightSlot: weight, biasSlot: bias)
        super.init(className: "BertLMPredictionHead")
        addModule("transform", transform)
        addModule("decoder", decoder)
        registerParameter("bias", bias)
    }

    override func forward(_ x: Tensor) throws -> Tensor { try decoder(transform(x)) }
}

/// BertForMaskedLM: bert (no pooler) → cls.predictions.
public final class BertForMaskedLM: TransformerModule, TokenTypeTakingModel {
    public let config: TransformerConfig
    let bert: BertModel, predictions: BertLMPredictionHead

    init(_ config: TransformerConfig) throws {
        self.config = config
        bert = try BertModel(config, withPooler: false)
        let wordEmbedding = config.tieWordEmbeddings ? bert.embeddings.wordEmbeddings.parameterSlot("weight") : nil
        predictions = try BertLMPredictionHead(config, wordEmbedding: wordEmbedding)
        super.init(className: "BertForMaskedLM")
        addModule("bert", bert)
        let onlyHead = TransformerModule(className: "BertOnlyMLMHead")
        onlyHead.addModule("predictions", predictions)
        addModule("cls", onlyHead)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?) throws -> TransformerOutput {
        try callAsFunction(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: nil)
    }

    public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor?, tokenTypeIDs: Tensor?) throws -> TransformerOutput {
        try scopedCall(inputShape: inputIDs.shape, recordedOutput: hiddenStateOf) {
            try compute(inputIDs, attentionMask, tokenTypeIDs)
        }
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try compute(x, nil, nil).logits! }

    private func compute(_ inputIDs: Tensor, _ attentionMask: Tensor?, _ tokenTypeIDs: Tensor?) throws -> TransformerOutput {
        let hidden = try bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs).lastHiddenState
        let head = child("cls")!
        let logits = try head.scopedCall(inputShape: hidden.shape, recordedOutput: { $0 }) { try predictions(hidden) }
        return TransformerOutput(lastHiddenState: hidden, logits: logits)
    }
}
