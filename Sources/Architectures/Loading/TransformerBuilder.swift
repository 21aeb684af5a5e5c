import NNModules

/// Builds the module tree of a configuration, every parameter an empty slot of its final shape.
enum TransformerBuilder {
    static func build(_ config: TransformerConfig, bertPooler: Bool) throws -> any TransformerModel {
        switch config.family {
        case .bert:
            return config.architecture == "BertForMaskedLM" ? try BertForMaskedLM(config) : try BertModel(config, withPooler: bertPooler)
        case .gpt2:
            return config.architecture == "GPT2Model" ? try GPT2Model(config) : try GPT2LMHeadModel(config)
        case .llama(let prefix):
            return config.architecture.hasSuffix("ForCausalLM") ? try LlamaForCausalLM(config, prefix: prefix)
                : try LlamaModel(config, prefix: prefix)
        }
    }

    /// The attribute under which a head model keeps its base model, with a dot (`bert.`, `transformer.`, `model.`).
    static func basePrefix(_ config: TransformerConfig) -> String {
        switch config.family {
        case .bert: "bert."
        case .gpt2: "transformer."
        case .llama: "model."
        }
    }
}
