import Foundation
import NNCore
import NNModules
import ModelFiles

/// What a loaded transformer is for, which decides what `nnview run` and the explorer show.
public enum TransformerTask: String, Sendable {
    /// A masked LM (BertForMaskedLM): fills `[MASK]` positions; loss at the labelled positions.
    case maskedLanguageModel = "masked-lm"
    /// A causal LM (GPT2LMHeadModel, LlamaForCausalLM, …): predicts the next token; loss shifted inside.
    case causalLanguageModel = "causal-lm"
    /// A sentence-transformers model: one embedding per text.
    case sentenceEmbedding = "sentence-embedding"
    /// A bare encoder or decoder without a head: hidden states only.
    case hiddenStates = "hidden-states"
}

/// Everything one forward pass gives.
public struct TransformerRun {
    /// [B, T, H].
    public let lastHiddenState: Tensor
    /// [B, T, vocab] for models with an LM head.
    public let logits: Tensor?
    /// [B, H] for sentence models (pooled, normalised when the folder says so).
    public let sentenceEmbedding: Tensor?
}

/// A transformer loaded from a Hugging Face folder, a sentence-transformers folder or a GGUF file, with its
/// weights bound by transformers' names, in eval mode.
public final class LoadedTransformer {
    /// The module tree (transformers' names and class names).
    public let model: any TransformerModel
    /// The configuration it was built from.
    public let config: TransformerConfig
    /// The pooling of a sentence-transformers folder.
    public let pooling: SentencePooling?
    /// The folder or file it came from.
    public let source: String
    /// The folder holding its tokenizer files (for a GGUF file: the file itself).
    public let tokenizerSource: String
    /// The file's tensors of heads and poolers this model has no place for (a LlamaModel from a LlamaForCausalLM
    /// file: `lm_head.weight`; a BertForMaskedLM from BERT's pre-training file: `bert.pooler.*`,
    /// `cls.seq_relationship.*`), left out as transformers leaves them out.
    public internal(set) var ignoredTensors: [String] = []

    init(model: any TransformerModel, config: TransformerConfig, pooling: SentencePooling?, source: String,
         tokenizerSource: String) {
        self.model = model
        self.config = config
        self.pooling = pooling
        self.source = source
        self.tokenizerSource = tokenizerSource
    }

    /// A note on the tensors left out (`ignoredTensors`), or nil when every tensor was used.
    public var ignoredTensorsNote: String? {
        guard let first = ignoredTensors.first else { return nil }
        let more = ignoredTensors.count > 1 ? " and \(ignoredTensors.count - 1) more" : ""
        return "\(model.typeName) has no place for \(ignoredTensors.count) tensor\(ignoredTensors.count == 1 ? "" : "s") of the file (\(first)\(more)): left out, as transformers does"
    }

    /// What the model is for.
    public var task: TransformerTask {
        if pooling != nil { return .sentenceEmbedding }
        if !config.hasLanguageModelHead { return .hiddenStates }
        return config.isCausal ? .causalLanguageModel : .maskedLanguageModel
    }

    /// One forward pass over `inputIDs` [B, T] with `attentionMask` [B, T] (nil: no padding).
    /// `tokenTypeIDs` [B, T] (a batch of pairs, `TokenizedBatch.tokenTypeIDs`) needs a model whose embeddings take
    /// token types (BERT); ids that are all 0 are the same as none and any model takes them.
    public func run(inputIDs: Tensor, attentionMask: Tensor?, tokenTypeIDs: Tensor? = nil) throws -> TransformerRun {
        let output: TransformerOutput
        if let typed = model as? any TokenTypeTakingModel {
            output = try typed(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs)
        } else if let tokenTypeIDs, tokenTypeIDs.toArray().contains(where: { $0 != 0 }) {
            throw ModuleError(.invalidArgument, "\(model.typeName) takes no token type ids (pairs of texts need a BERT-style model)")
        } else {
            output = try model(inputIDs: inputIDs, attentionMask: attentionMask)
        }
        let embedding = try pooling.map {
            try $0.embed(output.lastHiddenState, attentionMask: attentionMask ?? Tensor.ones(inputIDs.shape))
        }
        return TransformerRun(lastHiddenState: output.lastHiddenState, logits: output.logits, sentenceEmbedding: embedding)
    }

    /// transformers' LM loss of `logits` against `labels` [B, T] (-100 ignored): shifted for causal LMs, at the
    /// labelled positions for masked LMs.
    public func loss(logits: Tensor, labels: Tensor) throws -> Tensor {
        try languageModelLoss(logits: logits, labels: labels, causal: config.isCausal)
    }
}

/// Loads transformers from disk.
public enum TransformerLoader {
    /// Whether `path` looks like something this loader builds: a folder with config.json (or modules.json), or
    /// a GGUF file. Cheap (reads at most 4 bytes).
    public static func canLoad(path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return false }
        if isFolder.boolValue {
            return FileManager.default.fileExists(atPath: path + "/config.json")
                || FileManager.default.fileExists(atPath: path + "/modules.json")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic.elementsEqual("GGUF".utf8)
    }

    /// Loads the model at `path`: a transformers folder (config.json + weights), a sentence-transformers folder
    /// (modules.json) or a GGUF file of architecture llama. Every problem is one line naming the file and field.
    public static func load(path: String) throws -> LoadedTransformer {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ModelFileError("no such file or folder", file: path)
        }
        if !isFolder.boolValue { return try loadGGUF(path: path) }
        let pooling = try SentencePooling.read(folder: path)
        let modelFolder = pooling.map { $0.transformerPath.isEmpty ? path : path + "/" + $0.transformerPath } ?? path
        let configPath = modelFolder + "/config.json"
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw ModelFileError("missing: a transformers folder needs its config.json", file: configPath)
        }
        let archive = try ModelFolderReader.read(path: modelFolder)
        let config = try TransformerConfig.fromConfigJSON(archive.metadata, file: configPath)
        if pooling != nil, config.family != .bert {
            throw ModelFileError("model_type: sentence-transformers folders are run for BERT models only", file: configPath)
        }
        let hasPooler = archive.tensor(named: "pooler.dense.weight") != nil || archive.tensor(named: "bert.pooler.dense.weight") != nil
        let model = try TransformerBuilder.build(config, bertPooler: hasPooler)
        let binder = try WeightBinder.forTransformersFile(archive, model: model, basePrefix: TransformerBuilder.basePrefix(config))
        try binder.bind(model)
        model.eval()
        let loaded = LoadedTransformer(model: model, config: config, pooling: pooling, source: path, tokenizerSource: path)
        loaded.ignoredTensors = binder.ignored
        return loaded
    }

    static func loadGGUF(path: String) throws -> LoadedTransformer {
        let archive = try ModelFileReader.open(path: path)
        guard archive.format == "gguf" else {
            throw ModelFileError("not a model nnview runs (a transformers folder or a llama GGUF file)", file: path)
        }
        let config = try GGUFLlama.config(archive)
        let model = try TransformerBuilder.build(config, bertPooler: false)
        try GGUFLlama.binder(archive, config: config).bind(model)
        model.eval()
        return LoadedTransformer(model: model, config: config, pooling: nil, source: path, tokenizerSource: path)
    }
}
