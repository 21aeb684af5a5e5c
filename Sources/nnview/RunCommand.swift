import ArgumentParser
import Architectures
import Foundation
import ModelFiles
import NNCore
import NNModules

/// `nnview run MODEL --text T …`: one model, one batch of texts — tokens, what the model says, and with labels a
/// loss and a backward pass, optionally written to a safetensors file in the fixtures' layout.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a transformer on a batch of texts (tokens, predictions, loss, gradients), an image classifier on photos, or an ONNX graph on its inputs.",
        discussion: """
        MODEL is a transformers folder (config.json + weights + tokenizer files), a sentence-transformers folder \
        (modules.json) or a llama or qwen2 GGUF file. The texts form one batch, padded on the right with an attention \
        mask; --pair T after each --text makes pairs (BERT's [CLS] A [SEP] B [SEP] with token_type_ids). Causal LMs show the top-K next tokens at each text's last token, masked LMs the top-K fillers of \
        each [MASK], sentence models the embedding norms and the cosine similarity of every pair of texts. \
        --labels FILE (safetensors holding `labels` [B, T], -100 ignored; shifted inside for causal LMs) or \
        --loss lm (the inputs as labels) adds the LM loss and a backward pass. --out writes input_ids, \
        attention_mask, token_type_ids (pairs), logits, last_hidden_state, sentence_embedding, and with a loss labels, loss, grad/NAME \
        and use/NAME/MODULE (each use of a tied parameter), under transformers' names. --activations adds \
        act/MODULE (every module's output), actgrad/MODULE (its gradient, with a loss) and attn/MODULE \
        (attention probabilities [B, heads, T, T]), kept within --activation-budget.
        """ + "\n\n" + ImageModelRun.discussion + "\n\n" + ONNXRun.discussion)

    @Argument(help: "A transformers or sentence-transformers folder, a llama or qwen2 GGUF file, an image classifier's state dict, or an ONNX file.")
    var model: String

    @Option(name: .customLong("text"), help: "A text of the batch (repeat for several).")
    var texts: [String] = []

    @Option(name: .customLong("pair"), help: "The second text of a pair, one per --text in the same order: encoded as tokenizer(text, pair) with the pair template's token types (BERT).")
    var pairs: [String] = []

    /// Token ids instead of texts: a safetensors file holding `input_ids` [B, T] and optionally `attention_mask`.
    @Option(help: .hidden)
    var ids: String?

    @Option(help: "A safetensors file holding `labels` [B, T] (-100 = no loss there).")
    var labels: String?

    @Option(help: "lm: use the inputs themselves as labels (padding ignored).")
    var loss: String?

    @Option(help: "How many predictions to show per position.")
    var top = 5

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Write the tensors of the run to this .safetensors file.")
    var out: String?

    @Flag(help: "Also write every module's output (act/), its gradient (actgrad/) and attention maps (attn/) to --out.")
    var activations = false

    @Option(help: "The most --activations keeps, e.g. 64M (default 256M).")
    var activationBudget: String?

    @Option(name: .customLong("image"), help: "A PNG or JPEG photo for an image classifier (repeat for a batch).")
    var images: [String] = []

    @Option(help: "A safetensors file holding `input` [N, 3, H, W], fed to an image classifier as it is.")
    var input: String?

    @Option(help: "The image classifier's architecture, when its state dict's names do not say it.")
    var arch: String?

    @Option(help: "An ONNX model's output whose sum is differentiated: writes grad/INITIALIZER for every float initializer to --out.")
    var backward: String?

    @Option(help: "For an ONNX model run on --text: a model folder whose tokenizer files encode the texts.")
    var tokenizer: String?

    func validate() throws {
        if ONNXRun.canRun(path: model) { return try validateONNXOptions() }
        if backward != nil { throw ValidationError("--backward OUTPUT is for ONNX models (MODEL.onnx)") }
        if tokenizer != nil { throw ValidationError("--tokenizer FOLDER is for ONNX models (MODEL.onnx); other models bring their own") }
        if isImageRun || arch != nil { return try validateImageOptions() }
        guard texts.isEmpty != (ids == nil) else { throw ValidationError("give the batch as --text (one or more), or --image/--input for an image classifier") }
        guard (1 ... 1_000).contains(top) else { throw ValidationError("--top must be between 1 and 1000, not \(top)") }
        if let loss, loss != "lm" { throw ValidationError("--loss accepts only 'lm', not '\(loss)'") }
        if loss != nil, labels != nil { throw ValidationError("give either --labels or --loss lm, not both") }
        if let out, !out.hasSuffix(".safetensors") { throw ValidationError("--out must name a .safetensors file, not '\(out)'") }
        if activations || activationBudget != nil, out == nil { throw ValidationError("--activations writes to --out: give --out FILE.safetensors") }
        if let activationBudget { _ = try RunActivations.parseBudget(activationBudget) }
        try validatePairs()
    }

    /// --pair needs one second text per --text.
    func validatePairs() throws {
        guard !pairs.isEmpty else { return }
        guard pairs.count == texts.count else {
            throw ValidationError("--pair gives the second text of each pair: \(texts.count) --text but \(pairs.count) --pair")
        }
    }

    func run() throws {
        for source in [model, labels, ids].compactMap({ $0 }) where out.map({ CommandLineOutput.sameFile(source, $0) }) ?? false {
            throw ModelFileError("is an input of this run; refusing to overwrite it", file: out ?? "")
        }
        if ONNXRun.canRun(path: model) {
            return print(try ONNXRun.report(model: model, inputs: onnxInputs, backward: backward, out: out, json: json))
        }
        if isImageRun { return try ImageModelRun(options: self).run() }
        guard TransformerLoader.canLoad(path: model) else {
            try ImageModelRun.refuseTextInput(model: model)
            throw ModelFileError("not a model nnview runs: a transformers folder (config.json), a sentence-transformers folder (modules.json) or a llama GGUF file",
                                 file: model)
        }
        try TransformerRunCommand(options: self).run()
    }
}

/// The work of `nnview run` on a transformer.
struct TransformerRunCommand {
    let options: Run

    func run() throws {
        let loaded = try TransformerLoader.load(path: options.model)
        if let note = loaded.ignoredTensorsNote { CommandLineOutput.printError("note: \(options.model): " + note) }
        let batch = try RunBatch.make(options: options, loaded: loaded)
        let wantsLoss = options.labels != nil || options.loss != nil
        let labels = try wantsLoss ? makeLabels(loaded: loaded, batch: batch) : nil
        let capture = try RunActivations.capture(enabled: options.activations, budget: options.activationBudget)
        loaded.model.activationCapture = capture
        let result = try (wantsLoss ? { try $0() } : Autograd.noGrad) {
            try loaded.run(inputIDs: batch.inputIDs, attentionMask: batch.attentionMask, tokenTypeIDs: batch.tokenTypeIDs)
        }
        var lossValue: Tensor?
        if let labels {
            guard let logits = result.logits else {
                throw ModelFileError("a loss needs a model with a language-model head; this one is a \(loaded.config.architecture)",
                                     file: options.model)
            }
            let loss = try loaded.loss(logits: logits, labels: labels)
            try loss.backward()
            lossValue = loss
        }
        let report = RunReport(loaded: loaded, batch: batch, result: result, loss: try lossValue?.item(),
                               labelCount: labels.map { $0.toArray().filter { $0 != Float(ignoredLabel) }.count }, top: options.top)
        print(options.json ? try report.json() : try report.text())
        if let out = options.out {
            if let warning = RunActivations.warning(capture) { CommandLineOutput.printError(warning) }
            let written = try writeTensors(to: out, loaded: loaded, batch: batch, result: result, labels: labels, loss: lossValue,
                                           activations: RunActivations.entries(capture))
            if !options.json { print("wrote \(out): \(written)") }
            if let capture, !options.json { print("activations: " + capture.summary) }
        }
    }

    /// The labels of `--labels FILE` (checked against the batch and the vocabulary) or of `--loss lm`.
    func makeLabels(loaded: LoadedTransformer, batch: RunBatch) throws -> Tensor {
        guard let path = options.labels else {
            let ids = batch.inputIDs.toArray(), mask = batch.attentionMask.toArray()
            return try Tensor(zip(ids, mask).map { $1 != 0 ? $0 : Float(ignoredLabel) }, shape: batch.inputIDs.shape)
        }
        let archive = try ModelFileReader.open(path: path)
        guard let record = archive.tensor(named: "labels") else {
            throw ModelFileError("has no tensor named \"labels\"", file: path)
        }
        guard record.shape == batch.inputIDs.shape else {
            throw ModelFileError("labels has shape \(record.shape) but the batch is \(batch.inputIDs.shape)", file: path)
        }
        let labels = try record.makeTensor()
        for value in labels.toArray() where value != Float(ignoredLabel) {
            guard value >= 0, value < Float(loaded.config.vocabSize), value == value.rounded() else {
                throw ModelFileError("labels holds \(value), neither -100 nor a token id of the \(loaded.config.vocabSize)-token vocabulary", file: path)
            }
        }
        return labels
    }

    /// Writes the run's tensors in the fixtures' layout; returns a one-line description.
    func writeTensors(to path: String, loaded: LoadedTransformer, batch: RunBatch, result: TransformerRun,
                      labels: Tensor?, loss: Tensor?, activations: [(String, Tensor)] = []) throws -> String {
        var entries: [(String, Tensor)] = [("input_ids", batch.inputIDs), ("attention_mask", batch.attentionMask)]
        if let types = batch.tokenTypeIDs { entries.append(("token_type_ids", types)) }
        if let logits = result.logits { entries.append(("logits", logits)) }
        entries.append(("last_hidden_state", result.lastHiddenState))
        if let embedding = result.sentenceEmbedding { entries.append(("sentence_embedding", embedding)) }
        var gradients = 0, uses = 0
        if let labels, let loss {
            entries.append(("labels", labels))
            entries.append(("loss", try loss.reshape([1])))
            for parameter in loaded.model.namedParameters() {
                guard let tensor = parameter.tensor, let grad = tensor.grad else { continue }
                entries.append(("grad/" + parameter.name, grad))
                gradients += 1
                let contributions = tensor.gradientContributions
                guard contributions.count > 1 else { continue }
                for contribution in contributions {
                    entries.append(("use/\(parameter.name)/\(contribution.site)", contribution.gradient))
                    uses += 1
                }
            }
        }
        let names = entries.prefix { !$0.0.hasPrefix("grad/") }.map(\.0)
        entries += activations
        // Copies, so no two entries are one tensor object (the writer would store them once as aliases).
        let copies = try entries.map { ($0.0, try Tensor($0.1.toArray(), shape: $0.1.shape)) }
        try SafeTensorsWriter.write(stateDict: StateDict(copies), to: path)
        return names.joined(separator: ", ") + (labels != nil ? ", \(gradients) grad/ and \(uses) use/ tensors" : "")
            + (activations.isEmpty ? "" : ", \(activations.count) act/, actgrad/ and attn/ tensors")
    }
}
