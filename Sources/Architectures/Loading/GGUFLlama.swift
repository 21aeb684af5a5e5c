import NNCore
import ModelFiles

/// A GGUF file of architecture `llama` (or `qwen2`) as transformers' LlamaForCausalLM (Qwen2ForCausalLM): the config
/// from the `llama.*` (`qwen2.*`) metadata, llama.cpp's tensor names mapped to transformers'
/// (`blk.N.attn_q` → `model.layers.N.self_attn.q_proj`), a llama file's Q and K rows un-permuted (llama.cpp's converter
/// interleaves them for its RoPE; Qwen2's it keeps, as its RoPE is the NeoX one), tied when `output.weight` is absent.
enum GGUFLlama {
    /// The GGUF architectures nnview builds, and the transformers class-name prefix of each.
    static let classPrefixes = ["llama": "Llama", "qwen2": "Qwen2"]

    static func config(_ archive: TensorArchive) throws -> TransformerConfig {
        let fields = ConfigFields(file: archive.source, pairs: archive.metadata)
        let architecture = fields.string("general.architecture") ?? "(none)"
        guard let classPrefix = classPrefixes[architecture] else {
            throw fields.error("general.architecture", "\(architecture.prefix(40)) is not an architecture nnview runs from GGUF (llama, qwen2)")
        }
        let a = architecture
        guard let embedding = archive.tensor(named: "token_embd.weight"), embedding.shape.count == 2 else {
            throw ModelFileError("token_embd.weight: missing or not 2-d", file: archive.source)
        }
        let hidden = try fields.integer("\(a).embedding_length", 1 ... TransformerConfig.maxWidth)
        let heads = try fields.integer("\(a).attention.head_count", 1 ... TransformerConfig.maxHeads)
        let keyValueHeads = try fields.integer("\(a).attention.head_count_kv", 1 ... TransformerConfig.maxHeads, default: heads)
        guard heads % keyValueHeads == 0 else {
            throw fields.error("\(a).attention.head_count_kv", "\(keyValueHeads) key/value heads do not divide \(a).attention.head_count \(heads)")
        }
        guard hidden % heads == 0 else {
            throw fields.error("\(a).attention.head_count", "\(heads) heads do not divide \(a).embedding_length \(hidden)")
        }
        let headDimension = try fields.integer("\(a).attention.key_length", 2 ... TransformerConfig.maxWidth, default: hidden / heads)
        let ropeDimension = try fields.integer("\(a).rope.dimension_count", 2 ... TransformerConfig.maxWidth, default: headDimension)
        guard headDimension % 2 == 0, ropeDimension == headDimension else {
            throw fields.error("\(a).rope.dimension_count", "rotary dimension \(ropeDimension) must be the (even) head size \(headDimension)")
        }
        let vocabulary = try fields.integer("\(a).vocab_size", 1 ... TransformerConfig.maxVocabulary, default: embedding.shape[0])
        guard vocabulary == embedding.shape[0] else {
            throw fields.error("\(a).vocab_size", "\(vocabulary) differs from token_embd.weight's \(embedding.shape[0]) rows")
        }
        var scaling = RotaryScaling.none
        switch fields.string("\(a).rope.scaling.type") {
        case nil, "none": break
        case "linear": scaling = .linear(factor: Float(try fields.real("\(a).rope.scaling.factor", 1 ... 1_000)))
        case let other?:
            throw fields.error("\(a).rope.scaling.type", "\(other.prefix(40)) rotary scaling is not supported (none and linear are)")
        }
        if let factors = archive.tensor(named: "rope_freqs.weight") {
            scaling = .frequencyFactors(try frequencyFactors(factors, headDimension: headDimension, file: archive.source))
        }
        var config = TransformerConfig(
            family: .llama(classPrefix: classPrefix), architecture: classPrefix + "ForCausalLM",
            vocabSize: vocabulary, hiddenSize: hidden,
            layerCount: try fields.integer("\(a).block_count", 1 ... TransformerConfig.maxLayers),
            headCount: heads, keyValueHeadCount: keyValueHeads, headDimension: headDimension,
            intermediateSize: try fields.integer("\(a).feed_forward_length", 1 ... TransformerConfig.maxWidth * 16),
            maxPositions: try fields.integer("\(a).context_length", 1 ... TransformerConfig.maxPositionsLimit, default: 2048),
            typeVocabSize: 0,
            normEps: Float(try fields.real("\(a).attention.layer_norm_rms_epsilon", 0 ... 1, default: 1e-5)),
            activation: "silu", ropeTheta: try fields.real("\(a).rope.freq_base", 1 ... 1e12, default: 10_000),
            // Qwen2 has q/k/v biases (and never an o_proj bias), as its transformers class.
            queryKeyValueBias: architecture == "qwen2", outputProjectionBias: false, mlpBias: false,
            tieWordEmbeddings: archive.tensor(named: "output.weight") == nil,
            scaleAttentionWeights: true, scaleByInverseLayerIndex: false)
        config.rotaryScaling = scaling
        return config
    }

    /// The divisors of `rope_freqs.weight` (Llama 3.1's scaling as llama.cpp's converter writes it): one positive,
    /// finite value per frequency, head size / 2 of them.
    static func frequencyFactors(_ record: TensorRecord, headDimension: Int, file: String) throws -> [Float] {
        guard record.shape == [headDimension / 2] else {
            throw ModelFileError("rope_freqs.weight has shape \(record.shape), not [\(headDimension / 2)] (half the head size)", file: file)
        }
        let values = try record.floatValues(limit: headDimension / 2)
        guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFileError("rope_freqs.weight holds a value that is not a positive finite divisor", file: file)
        }
        return values
    }

    /// llama.cpp's name of each transformers name.
    static func transformersName(_ name: String) -> String? {
        let fixed = ["token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
                     "output.weight": "lm_head.weight"]
        if let mapped = fixed[name] { return mapped }
        let parts = name.split(separator: ".")
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), parts[3] == "weight" || parts[3] == "bias" else {
            return nil
        }
        let blocks = ["attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
                      "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
                      "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj",
                      "ffn_down": "mlp.down_proj"]
        guard let block = blocks[String(parts[2])] else { return nil }
        return "model.layers.\(layer).\(block).\(parts[3])"
    }

    /// The binder of a GGUF llama file's tensors; any tensor of another name is refused.
    static func binder(_ archive: TensorArchive, config: TransformerConfig) throws -> WeightBinder {
        var sources: [String: WeightBinder.Source] = [:]
        for record in archive.tensors where record.name != "rope_freqs.weight" {  // read into the config, not a weight
            guard let name = transformersName(record.name) else {
                throw ModelFileError("unexpected tensor \(record.name.prefix(80)) for a llama model", file: archive.source)
            }
            var transform: ((Tensor) throws -> Tensor)?
            if case .llama(classPrefix: "Qwen2") = config.family {
                // llama.cpp keeps Qwen2's Q and K rows in transformers' order (NeoX-style RoPE).
            } else if record.name.hasSuffix("attn_q.weight") {
                transform = { try unpermuteRotaryRows($0, heads: config.headCount) }
            } else if record.name.hasSuffix("attn_k.weight") {
                transform = { try unpermuteRotaryRows($0, heads: config.keyValueHeadCount) }
            }
            sources[name] = WeightBinder.Source(record: record, transform: transform)
        }
        return WeightBinder(file: archive.source, sources: sources, configName: "the GGUF metadata")
    }

    /// Undoes llama.cpp's `permute(w, n_head)`: its rows, per head, are (d/2, 2)-interleaved; transformers' are
    /// the two halves one after the other.
    static func unpermuteRotaryRows(_ weight: Tensor, heads: Int) throws -> Tensor {
        let (rows, columns) = (weight.shape[0], weight.shape[1])
        guard heads > 0, rows % (2 * heads) == 0 else {
            throw ModelFileError("a Q/K weight of \(rows) rows does not split into \(heads) heads of even size")
        }
        return try Autograd.noGrad {
            try weight.reshape([heads, rows / heads / 2, 2, columns]).transpose(1, 2).contiguous().reshape([rows, columns])
        }
    }
}
