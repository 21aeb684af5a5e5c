import ModelFiles
import ModulePaths
import NNCore
import NNModules

/// Fills a freshly built model's empty parameter slots from a file's tensors, by transformers' names.
///
/// Everything is checked before anything is allocated: every parameter present with the shape the config gives
/// it, no tensor left over that the model does not have, and the whole model small enough to hold as Float32.
struct WeightBinder {
    /// A tensor of the file, with the transformers name it binds to.
    struct Source {
        let record: TensorRecord
        /// Turns the file's values into transformers' layout (GGUF's permuted Q and K rows); nil = as stored.
        let transform: ((Tensor) throws -> Tensor)?
    }

    /// The file, for messages.
    let file: String
    /// transformers name → the tensor that holds it.
    let sources: [String: Source]
    /// Where the sizes came from, for messages (`config.json`, `the GGUF metadata`).
    var configName = "config.json"
    /// The file's tensors of heads and poolers the built model has no place for (a LlamaModel read from a
    /// LlamaForCausalLM file: `lm_head.weight`), left out as transformers' `from_pretrained` leaves them out.
    var ignored: [String] = []

    /// The top-level parts of transformers' task models that a model of another task may leave out: LM heads,
    /// BERT's pre-training heads (`cls.predictions`, `cls.seq_relationship`) and pooler, classification and QA heads.
    static let optionalParts: Set<String> = ["lm_head", "cls", "pooler", "classifier", "score", "qa_outputs"]

    /// Binds the records of `archive` to `model`'s names: each file name is kept when the model has it, else
    /// given or stripped the base model's prefix (`transformer.` for GPT-2 hub files, `bert.` for a BertModel
    /// read from a BertForMaskedLM file). Buffers transformers does not keep as parameters (`position_ids`,
    /// GPT-2's causal `attn.bias`, `rotary_emb.inv_freq`) are skipped, and so are heads and poolers the model
    /// does not have (`optionalParts`, listed in `ignored`). Any other name is refused.
    static func forTransformersFile(_ archive: TensorArchive, model: Module, basePrefix: String) throws -> WeightBinder {
        let names = Set(model.stateDict().keys)
        var sources: [String: Source] = [:]
        var ignored: [String] = []
        for record in archive.tensors {
            let name = Self.modernName(record.name)
            if name.hasSuffix("position_ids") || name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
                || name.hasSuffix("rotary_emb.inv_freq") {
                continue
            }
            let canonical: String
            if names.contains(name) {
                canonical = name
            } else if names.contains(basePrefix + name) {
                canonical = basePrefix + name
            } else if name.hasPrefix(basePrefix), names.contains(String(name.dropFirst(basePrefix.count))) {
                canonical = String(name.dropFirst(basePrefix.count))
            } else if isUnusedPart(name, of: model, basePrefix: basePrefix) {
                ignored.append(record.name)
                continue
            } else {
                throw ModelFileError("unexpected tensor \(record.name.prefix(80)): the \(model.typeName) config.json describes has no parameter of that name",
                                     file: archive.source)
            }
            // A tied parameter may be stored under several names; the first one binds it.
            if sources[canonical] == nil { sources[canonical] = Source(record: record, transform: nil) }
        }
        var binder = WeightBinder(file: archive.source, sources: sources)
        binder.ignored = ignored
        return binder
    }

    /// The name transformers loads an old checkpoint's tensor under: TensorFlow-era LayerNorm parameters
    /// (`LayerNorm.gamma`, `LayerNorm.beta`, as bert-base-uncased's files still store them) are `weight` and `bias`.
    static func modernName(_ name: String) -> String {
        if name.hasSuffix(".gamma") { return String(name.dropLast("gamma".count)) + "weight" }
        if name.hasSuffix(".beta") { return String(name.dropLast("beta".count)) + "bias" }
        return name
    }

    /// Whether `name` belongs to a head or pooler (`optionalParts`) the model does not have: its top-level part is
    /// one of them and the module that would hold it is absent (`cls.seq_relationship.bias` in a BertForMaskedLM,
    /// whose `cls` holds only `predictions`). A tensor of a module the model has must bind, so a wrong name there
    /// is still refused.
    static func isUnusedPart(_ name: String, of model: Module, basePrefix: String) -> Bool {
        let bare = name.hasPrefix(basePrefix) ? String(name.dropFirst(basePrefix.count)) : name
        guard let part = ModulePath.segments(bare).first, optionalParts.contains(String(part)) else { return false }
        let holder = ModulePath.split(bare).parent
        return model.module(at: holder) == nil && model.module(at: basePrefix + holder) == nil
    }

    /// Checks every parameter of `model` against the sources, then loads them all (or nothing).
    func bind(_ model: Module) throws {
        let parameters = model.namedParameters()
        var plan: [(slot: ParameterSlot, source: Source)] = []
        var total = 0
        for parameter in parameters {
            let expected = parameter.slot.shape.completeShape ?? []
            guard let source = sources[parameter.name] ?? alternativeSource(for: parameter, in: model) else {
                throw ModelFileError("missing tensor \(parameter.name) (\(expected)) that the model \(configName) describes needs", file: file)
            }
            guard source.record.shape == expected else {
                throw ModelFileError("tensor \(source.record.name) has shape \(source.record.shape) but \(configName) gives \(parameter.name) the shape \(expected)",
                                     file: file)
            }
            let count = try TensorLimits.checkedElementCount(expected, what: parameter.name)
            total += count
            plan.append((parameter.slot, source))
        }
        guard total <= TensorLimits.maxTotalElements else {
            let gibibytes = Double(total) * 4 / Double(1 << 30)
            throw ModelFileError("the model needs \(String(format: "%.1f", gibibytes)) GiB as Float32 (\(total) parameters), more than the \(TensorLimits.maxTotalElements / (1 << 28)) GiB nnview loads into a model on this machine",
                                 file: file)
        }
        for (slot, source) in plan {
            var tensor: Tensor
            do {
                tensor = try source.record.makeTensor()
            } catch let error as ModelFileError {
                throw ModelFileError("\(source.record.name): \(error.message)", file: file)
            }
            if let transform = source.transform { tensor = try transform(tensor) }
            try slot.materialise(tensor)
        }
    }

    /// The source of a tied parameter stored only under one of its other names (`lm_head.weight` for
    /// `transformer.wte.weight`).
    private func alternativeSource(for parameter: NamedParameter, in model: Module) -> Source? {
        for entry in model.stateDict() where entry.name != parameter.name {
            if let source = sources[entry.name], model.slot(at: entry.name) === parameter.slot {
                return source
            }
        }
        return nil
    }
}

extension Module {
    /// The parameter slot at a dotted state-dict name, or nil.
    func slot(at name: String) -> ParameterSlot? {
        let (parent, leaf) = ModulePath.split(name)
        return module(at: parent)?.parameterSlot(leaf)
    }
}
