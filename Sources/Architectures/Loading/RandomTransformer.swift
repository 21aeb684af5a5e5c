import NNCore
import NNModules
import ModelFiles

extension TransformerLoader {
    /// A model of `config` with random weights, as transformers' `_init_weights` makes them: matrices and
    /// embeddings normal(0, 0.02), vectors named `weight` (LayerNorm/RMSNorm scales) one, biases zero; in eval
    /// mode. For benchmarks and tests that need a real-sized model without a checkpoint (same work, same shapes).
    /// Throws when the model would not fit the Float32 budget `TensorLimits` allows.
    public static func randomlyInitialised(_ config: TransformerConfig, seed: UInt64 = 0,
                                           bertPooler: Bool = false) throws -> LoadedTransformer {
        let model = try TransformerBuilder.build(config, bertPooler: bertPooler)
        let parameters = model.namedParameters()
        var total = 0
        for parameter in parameters {
            guard let shape = parameter.slot.shape.completeShape else {
                throw ModuleError(.uninitialisedParameter, "\(parameter.name): the config leaves its shape open")
            }
            total += try TensorLimits.checkedElementCount(shape, what: parameter.name)
        }
        guard total <= TensorLimits.maxTotalElements else {
            throw ModuleError(.invalidArgument, "the model needs \(total) Float32 parameters, more than nnview loads")
        }
        var generator = SeededGenerator(seed: seed)
        for parameter in parameters where !parameter.slot.isInitialised {
            let shape = parameter.slot.shape.completeShape ?? []
            let tensor: Tensor
            if shape.count >= 2 {
                // Drawn scaled in place (the same values as randn · 0.02): a randn temporary per matrix would
                // leave up to 32 MiB of dead buffers in the storage pool, resident through every later forward.
                tensor = Tensor.normal(shape, mean: 0, std: 0.02, generator: &generator)
            } else {
                tensor = Tensor.full(shape, value: parameter.name.hasSuffix("weight") ? 1 : 0)
            }
            try parameter.slot.materialise(tensor)
        }
        model.eval()
        return LoadedTransformer(model: model, config: config, pooling: nil, source: "(random weights)",
                                 tokenizerSource: "")
    }
}
