import ModelFiles

/// The shape of a transformer as transformers' config.json (or GGUF metadata) describes it, checked: every size
/// bounded, heads dividing the width, a known `model_type` and architecture.
public struct TransformerConfig: Sendable, Equatable {
    /// The family of the model, which fixes its block structure.
    public enum Family: Sendable, Equatable {
        /// BERT: post-LN encoder, learned positions, token types, erf GELU.
        case bert
        /// GPT-2: pre-LN decoder, learned positions, Conv1D projections, tanh GELU.
        case gpt2
        /// Llama and the models sharing its config shape (Qwen2, Mistral): RMSNorm, RoPE, grouped-query
        /// attention, SwiGLU. `classPrefix` is the transformers class prefix (`Llama`, `Qwen2`, `Mistral`).
        case llama(classPrefix: String)
    }

    /// The model family.
    public var family: Family
    /// The transformers class built (`BertForMaskedLM`, `GPT2LMHeadModel`, `LlamaForCausalLM`, …).
    public var architecture: String
    public var vocabSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    /// Key/value heads (grouped-query attention); equal to `headCount` for BERT and GPT-2.
    public var keyValueHeadCount: Int
    public var headDimension: Int
    public var intermediateSize: Int
    /// Learned position embeddings (BERT, GPT-2); for RoPE models the configured context length.
    public var maxPositions: Int
    /// BERT's token types (0 for other families).
    public var typeVocabSize: Int
    /// LayerNorm / RMSNorm epsilon.
    public var normEps: Float
    /// transformers' activation name (`gelu`, `gelu_new`, `silu`, …).
    public var activation: String
    /// RoPE base frequency (Llama family).
    public var ropeTheta: Double
    /// How the rotary frequencies are stretched (`rope_scaling`; Llama 3.1 and later).
    public var rotaryScaling: RotaryScaling = .none
    /// Biases on q/k/v (Qwen2 always; Llama `attention_bias`, also on o_proj).
    public var queryKeyValueBias: Bool
    public var outputProjectionBias: Bool
    public var mlpBias: Bool
    /// The LM head shares the token embedding's weight.
    public var tieWordEmbeddings: Bool
    /// GPT-2: divide scores by √head_dim (`scale_attn_weights`) and by layer index + 1
    /// (`scale_attn_by_inverse_layer_idx`).
    public var scaleAttentionWeights: Bool
    public var scaleByInverseLayerIndex: Bool
    /// Mistral's sliding window: a query attends only the `slidingWindow` latest keys (nil: all earlier keys).
    public var slidingWindow: Int? = nil

    /// True for architectures with a language-model head (logits over the vocabulary).
    public var hasLanguageModelHead: Bool {
        architecture.hasSuffix("ForMaskedLM") || architecture.hasSuffix("LMHeadModel") || architecture.hasSuffix("ForCausalLM")
    }

    /// True for decoders (causal attention).
    public var isCausal: Bool { family != .bert }

    /// Every architecture nnview builds, by family.
    public static let supportedArchitectures = ["BertModel", "BertForMaskedLM", "GPT2Model", "GPT2LMHeadModel",
                                                "LlamaModel", "LlamaForCausalLM", "Qwen2Model", "Qwen2ForCausalLM",
                                                "MistralModel", "MistralForCausalLM"]

    /// Bounds no real model exceeds; anything larger in a config is refused before allocating.
    static let maxVocabulary = 10_000_000
    static let maxWidth = 65_536
    static let maxLayers = 1_024
    static let maxHeads = 4_096
    static let maxPositionsLimit = 1 << 20

    /// Reads and checks the fields of a config.json (flattened to dotted keys, as `ModelFolderReader` gives
    /// them). `file` names the config in messages.
    public static func fromConfigJSON(_ pairs: [(key: String, value: String)], file: String) throws -> TransformerConfig {
        let fields = ConfigFields(file: file, pairs: pairs)
        guard let modelType = fields.string("model_type") else { throw fields.error("model_type", "missing") }
        let family: Family
        let defaultArchitecture: String
        switch modelType {
        case "bert": family = .bert; defaultArchitecture = "BertModel"
        case "gpt2": family = .gpt2; defaultArchitecture = "GPT2LMHeadModel"
        case "llama": family = .llama(classPrefix: "Llama"); defaultArchitecture = "LlamaForCausalLM"
        case "qwen2": family = .llama(classPrefix: "Qwen2"); defaultArchitecture = "Qwen2ForCausalLM"
        case "mistral": family = .llama(classPrefix: "Mistral"); defaultArchitecture = "MistralForCausalLM"
        default:
            throw fields.error("model_type", "\"\(modelType.prefix(40))\" is not an architecture nnview builds (bert, gpt2, llama, qwen2, mistral)")
        }
        var architecture = defaultArchitecture
        if let listed = fields.string("architectures") {
            let names = listed.trimmingCharacters(in: ["[", "]"]).split(separator: ",")
                .map { $0.trimmingCharacters(in: [" ", "\""]) }.filter { !$0.isEmpty }
            if let first = names.first { architecture = first }
        }
        guard supportedArchitectures.contains(architecture), architecture.hasPrefix(familyPrefix(family)) else {
            throw fields.error("architectures", "\"\(architecture.prefix(60))\" is not one nnview builds for model_type \(modelType) (\(supportedArchitectures.filter { $0.hasPrefix(familyPrefix(family)) }.joined(separator: ", ")))")
        }

        switch family {
        case .bert:
            let hidden = try fields.integer("hidden_size", 1 ... maxWidth)
            let heads = try fields.integer("num_attention_heads", 1 ... maxHeads)
            guard hidden % heads == 0 else {
                throw fields.error("num_attention_heads", "\(heads) heads do not divide hidden_size \(hidden)")
            }
            if let kind = fields.string("position_embedding_type"), kind != "absolute" {
                throw fields.error("position_embedding_type", "\(kind.prefix(40)) is not supported (only absolute)")
            }
            return TransformerConfig(
                family: family, architecture: architecture,
                vocabSize: try fields.integer("vocab_size", 1 ... maxVocabulary), hiddenSize: hidden,
                layerCount: try fields.integer("num_hidden_layers", 1 ... maxLayers), headCount: heads,
                keyValueHeadCount: heads, headDimension: hidden / heads,
                intermediateSize: try fields.integer("intermediate_size", 1 ... maxWidth * 16),
                maxPositions: try fields.integer("max_position_embeddings", 1 ... maxPositionsLimit),
                typeVocabSize: try fields.integer("type_vocab_size", 1 ... 1_024, default: 2),
                normEps: Float(try fields.real("layer_norm_eps", 0 ... 1, default: 1e-12)),
                activation: try activationName(fields, key: "hidden_act", default: "gelu"),
                ropeTheta: 0, queryKeyValueBias: true, outputProjectionBias: true, mlpBias: true,
                tieWordEmbeddings: try fields.bool("tie_word_embeddings", default: true),
                scaleAttentionWeights: true, scaleByInverseLayerIndex: false)
        case .gpt2:
            let hidden = try fields.integer("n_embd", 1 ... maxWidth)
            let heads = try fields.integer("n_head", 1 ... maxHeads)
            guard hidden % heads == 0 else { throw fields.error("n_head", "\(heads) heads do not divide n_embd \(hidden)") }
            return TransformerConfig(
                family: family, architecture: architecture,
                vocabSize: try fields.integer("vocab_size", 1 ... maxVocabulary), hiddenSize: hidden,
                layerCount: try fields.integer("n_layer", 1 ... maxLayers), headCount: heads,
                keyValueHeadCount: heads, headDimension: hidden / heads,
                intermediateSize: try fields.integer("n_inner", 1 ... maxWidth * 16, default: 4 * hidden),
                maxPositions: try fields.integer("n_positions", 1 ... maxPositionsLimit),
                typeVocabSize: 0,
                normEps: Float(try fields.real("layer_norm_epsilon", 0 ... 1, default: 1e-5)),
                activation: try activationName(fields, key: "activation_function", default: "gelu_new"),
                ropeTheta: 0, queryKeyValueBias: true, outputProjectionBias: true, mlpBias: true,
                tieWordEmbeddings: try fields.bool("tie_word_embeddings", default: true),
                scaleAttentionWeights: try fields.bool("scale_attn_weights", default: true),
                scaleByInverseLayerIndex: try fields.bool("scale_attn_by_inverse_layer_idx", default: false))
        case .llama(let prefix):
            let hidden = try fields.integer("hidden_size", 1 ... maxWidth)
            let heads = try fields.integer("num_attention_heads", 1 ... maxHeads)
            let keyValueHeads = try fields.integer("num_key_value_heads", 1 ... maxHeads, default: heads)
            guard heads % keyValueHeads == 0 else {
                throw fields.error("num_key_value_heads", "\(keyValueHeads) key/value heads do not divide num_attention_heads \(heads)")
            }
            if !fields.has("head_dim"), hidden % heads != 0 {
                throw fields.error("num_attention_heads", "\(heads) heads do not divide hidden_size \(hidden)")
            }
            let headDimension = try fields.integer("head_dim", 2 ... maxWidth, default: hidden / heads)
            guard headDimension % 2 == 0 else { throw fields.error("head_dim", "\(headDimension) is odd (rotary embeddings need an even size)") }
            let rotaryScaling = try RotaryScaling.read(fields)
            let theta = fields.has("rope_theta") ? try fields.real("rope_theta", 1 ... 1e12)
                : try fields.real("rope_parameters.rope_theta", 1 ... 1e12, default: 10_000)
            let attentionBias = try fields.bool("attention_bias", default: false)
            if prefix == "Qwen2", try fields.bool("use_sliding_window", default: false) {
                throw fields.error("use_sliding_window", "sliding-window layers of Qwen2 are not supported")
            }
            var config = TransformerConfig(
                family: family, architecture: architecture,
                vocabSize: try fields.integer("vocab_size", 1 ... maxVocabulary), hiddenSize: hidden,
                layerCount: try fields.integer("num_hidden_layers", 1 ... maxLayers), headCount: heads,
                keyValueHeadCount: keyValueHeads, headDimension: headDimension,
                intermediateSize: try fields.integer("intermediate_size", 1 ... maxWidth * 16),
                maxPositions: try fields.integer("max_position_embeddings", 1 ... maxPositionsLimit, default: 2048),
                typeVocabSize: 0,
                normEps: Float(try fields.real("rms_norm_eps", 0 ... 1, default: 1e-6)),
                activation: try activationName(fields, key: "hidden_act", default: "silu"),
                ropeTheta: theta,
                queryKeyValueBias: prefix == "Qwen2" ? true : attentionBias,
                outputProjectionBias: prefix == "Qwen2" ? false : attentionBias,
                mlpBias: try fields.bool("mlp_bias", default: false),
                tieWordEmbeddings: try fields.bool("tie_word_embeddings", default: false),
                scaleAttentionWeights: true, scaleByInverseLayerIndex: false)
            config.rotaryScaling = rotaryScaling
            if prefix == "Mistral", fields.has("sliding_window") {
                config.slidingWindow = try fields.integer("sliding_window", 1 ... maxPositionsLimit)
            }
            return config
        }
    }

    /// The class-name prefix of a family's architectures.
    static func familyPrefix(_ family: Family) -> String {
        switch family {
        case .bert: "Bert"
        case .gpt2: "GPT2"
        case .llama(let prefix): prefix
        }
    }

    /// The activations nnview computes, by transformers' names.
    static let knownActivations = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish"]

    static func activationName(_ fields: ConfigFields, key: String, default defaultName: String) throws -> String {
        let name = fields.string(key) ?? defaultName
        guard knownActivations.contains(name) else {
            throw fields.error(key, "activation \"\(name.prefix(40))\" is not supported (\(knownActivations.joined(separator: ", ")))")
        }
        return name
    }

    /// The number of parameters the model has (each tied tensor once), computed from the sizes alone, in
    /// overflow-free arithmetic (the sizes are bounded).
    public var parameterCount: Int {
        let h = hiddenSize, v = vocabSize, f = intermediateSize
        let head = hasLanguageModelHead && !tieWordEmbeddings ? v * h : 0
        switch family {
        case .bert:
            let embeddings = (v + maxPositions + typeVocabSize) * h + 2 * h
            let layer = 4 * (h * h + h) + 2 * (h * f) + f + h + 4 * h
            return embeddings + layerCount * layer + (hasLanguageModelHead ? h * h + 3 * h + v : h * h + h)
        case .gpt2:
            let layer = 3 * h * h + 3 * h + h * h + h + 2 * h * f + f + h + 4 * h
            return (v + maxPositions) * h + layerCount * layer + 2 * h + head
        case .llama:
            let q = headCount * headDimension, kv = keyValueHeadCount * headDimension
            let layer = h * q + 2 * h * kv + q * h + 3 * h * f + 2 * h
            return v * h + layerCount * layer + h + head
        }
    }
}
