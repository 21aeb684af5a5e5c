import Architectures
import NNCore
import NNModules

/// The transformer workloads of issue 14: BertModel with all-MiniLM-L6-v2's configuration and GPT2LMHeadModel
/// with GPT-2 small's, random weights (transformers' init), built through `TransformerLoader.randomlyInitialised`.
enum TransformerWorkloads {
    /// all-MiniLM-L6-v2's config.json sizes (6 layers, 384 wide, 12 heads, 1536 inner), BertModel, no pooler.
    static func miniLMConfig() throws -> TransformerConfig {
        try TransformerConfig.fromConfigJSON([
            ("model_type", "bert"), ("architectures", "[\"BertModel\"]"), ("vocab_size", "30522"),
            ("hidden_size", "384"), ("num_hidden_layers", "6"), ("num_attention_heads", "12"),
            ("intermediate_size", "1536"), ("max_position_embeddings", "512"), ("type_vocab_size", "2"),
            ("hidden_act", "gelu"), ("layer_norm_eps", "1e-12"),
        ], file: "all-MiniLM-L6-v2 config")
    }

    /// GPT-2 small's config.json sizes (12 layers, 768 wide, 12 heads, vocab 50257, 1024 positions), LM head tied.
    static func gpt2SmallConfig() throws -> TransformerConfig {
        try TransformerConfig.fromConfigJSON([
            ("model_type", "gpt2"), ("architectures", "[\"GPT2LMHeadModel\"]"), ("vocab_size", "50257"),
            ("n_embd", "768"), ("n_layer", "12"), ("n_head", "12"), ("n_positions", "1024"),
            ("activation_function", "gelu_new"), ("layer_norm_epsilon", "1e-5"),
        ], file: "gpt2 config")
    }

    /// Token ids [1, count], uniform over the vocabulary (seeded).
    static func tokens(_ count: Int, vocabulary: Int, seed: UInt64) throws -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let ids = (0 ..< count).map { _ in Float(min(Int(generator.nextUniform() * Float(vocabulary)), vocabulary - 1)) }
        return try Tensor(ids, shape: [1, count])
    }

    /// BertModel forward on 1 × 128 tokens without gradients.
    static func bertForward(_ stopwatch: Stopwatch) throws -> Timing {
        let model = try TransformerLoader.randomlyInitialised(miniLMConfig(), seed: 14).model
        let ids = try tokens(128, vocabulary: model.config.vocabSize, seed: 15)
        return try stopwatch.measure {
            _ = try Autograd.noGrad { try model(inputIDs: ids, attentionMask: nil) }
        }
    }

    /// BertModel: zero grads, forward, `last_hidden_state.sum()`, backward.
    static func bertForwardBackward(_ stopwatch: Stopwatch) throws -> Timing {
        let model = try TransformerLoader.randomlyInitialised(miniLMConfig(), seed: 14).model
        let ids = try tokens(128, vocabulary: model.config.vocabSize, seed: 15)
        return try stopwatch.measure {
            model.zeroGrad()
            try model(inputIDs: ids, attentionMask: nil).lastHiddenState.sum().backward()
        }
    }

    /// GPT2LMHeadModel logits for 1 × 64 tokens without gradients: (timing, peak RSS MiB of the process while
    /// the forward passes run — weights included, model building's temporaries not —, F32 weight MiB). The peak
    /// is the whole process's: it also counts about 21 MiB that any nnbench run holds before building a model
    /// (the binary and the Swift runtime's libraries, mostly file-backed), and the trace of module outputs the
    /// model keeps of its last forward (`Module.lastForward`: every layer's output and the logits).
    static func gpt2Forward(_ stopwatch: Stopwatch) throws -> (time: Timing, peakMiB: Double, weightsMiB: Double) {
        let model = try TransformerLoader.randomlyInitialised(gpt2SmallConfig(), seed: 16).model
        Tensor.releaseCachedMemory()  // buffers earlier workloads left for reuse are not this forward's memory
        MemoryUsage.resetPeak()
        let ids = try tokens(64, vocabulary: model.config.vocabSize, seed: 17)
        let timing = try stopwatch.measure {
            _ = try Autograd.noGrad { try model(inputIDs: ids, attentionMask: nil) }
        }
        let weights = Double(model.parameters().reduce(0) { $0 + ((try? $1.tensor().count) ?? 0) }) * 4 / 1_048_576
        return (timing, Double(MemoryUsage.peakKiB() ?? 0) / 1024, weights)
    }

    /// GPT2LMHeadModel: zero grads, logits, the LM loss with labels = inputs (shifted inside), backward.
    static func gpt2ForwardBackward(_ stopwatch: Stopwatch) throws -> Timing {
        let model = try TransformerLoader.randomlyInitialised(gpt2SmallConfig(), seed: 16).model
        let ids = try tokens(64, vocabulary: model.config.vocabSize, seed: 17)
        return try stopwatch.measure {
            model.zeroGrad()
            let logits = try model(inputIDs: ids, attentionMask: nil).logits!
            try languageModelLoss(logits: logits, labels: ids, causal: true).backward()
        }
    }
}
