import NNModules

/// The architectures nnview builds as live models, named as transformers and torchvision name them.
public enum ArchitectureName: String, CaseIterable, Sendable {
    case bertModel = "BertModel"
    case bertForMaskedLM = "BertForMaskedLM"
    case gpt2Model = "GPT2Model"
    case gpt2LMHeadModel = "GPT2LMHeadModel"
    case llamaForCausalLM = "LlamaForCausalLM"
}
