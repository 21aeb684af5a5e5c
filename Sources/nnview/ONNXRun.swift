import ArgumentParser
import Architectures
import Foundation
import ModelFiles
import NNCore
import Tokenizers

/// `nnview run FILE.onnx --input FILE.safetensors [--backward OUTPUT] [--out FILE.safetensors] [--json]`: the
/// graph interpreted on the input file's tensors (named as the graph's inputs). `Run` calls `report` when MODEL is
/// an `.onnx` file.
enum ONNXRun {
    /// The ONNX paragraph of `nnview run --help`.
    static let discussion = """
        An ONNX file (MODEL.onnx, external data beside it) runs on --input FILE.safetensors, whose tensors are \
        named as the graph's inputs, or on --text T (repeat for a batch) with --tokenizer FOLDER (a model folder's \
        tokenizer files): input_ids, attention_mask and token_type_ids, those the graph declares, padded to the \
        longest text. It prints each output's shape and range. --backward OUTPUT also computes \
        d sum(OUTPUT)/d INITIALIZER for every float initializer; --out writes every output under its own name \
        and grad/INITIALIZER.
        """

    /// Where the graph's inputs come from.
    enum Inputs {
        /// A safetensors file of tensors named as the graph's inputs.
        case file(String)
        /// Texts encoded by the tokenizer of a model folder.
        case texts([String], pairs: [String], tokenizer: String)
    }

    /// Whether `path` names an ONNX model this command runs.
    static func canRun(path: String) -> Bool {
        path.lowercased().hasSuffix(".onnx")
    }

    /// Runs `model` on `inputs`; with `backward` (an output's name) also d sum(OUTPUT)/d INIT for every float
    /// initializer. `out` receives every output under its own name and `grad/INIT`. Returns the text (or JSON)
    /// to print: each output's shape, type and value summary, each gradient's norm.
    static func report(model: String, inputs: Inputs, backward: String?, out: String?, json: Bool) throws -> String {
        let graph = try ONNXGraphModule(path: model)
        let result: ONNXGraphModule.RunResult
        switch inputs {
        case .file(let input):
            result = try graph.run(inputFile: input, backwardOutput: backward)
        case .texts(let texts, let pairs, let folder):
            let tokenizer = try TokenizerLoader.load(folder: URL(fileURLWithPath: folder))
            let values = try ONNXTextInputs.make(texts: texts, pairs: pairs, tokenizer: tokenizer, graph: graph.model.graph)
            result = try graph.run(values, backwardOutput: backward)
        }
        if let out { try SafeTensorsWriter.write(tensors: result.safeTensorsEntries, to: out) }
        let outputs = result.outputs.map { name, value in
            (name: name, shape: value.shape, type: value.dataType.name, stats: statistics(value))
        }
        let gradients = result.gradients.map { name, tensor in
            (name: name, norm: tensor.toArray().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
        }
        if json {
            let outputText = outputs.map {
                "{\"name\": \(quoted($0.name)), \"shape\": \($0.shape), \"type\": \(quoted($0.type)), "
                    + "\"min\": \(number($0.stats.min)), \"max\": \(number($0.stats.max)), \"mean\": \(number($0.stats.mean))}"
            }
            let gradientText = gradients.map { "{\"name\": \(quoted($0.name)), \"norm\": \(number($0.norm))}" }
            return "{\"model\": \(quoted(model)), \"outputs\": [\(outputText.joined(separator: ", "))], "
                + "\"gradients\": [\(gradientText.joined(separator: ", "))]"
                + (out.map { ", \"written\": \(quoted($0))" } ?? "") + "}"
        }
        var lines = ["\(model): \(graph.model.graph.nodes.count) nodes, opset \(graph.opset)"]
        for output in outputs {
            lines.append("  \(output.name)  \(output.type) \(output.shape)  min \(format(output.stats.min))  "
                + "max \(format(output.stats.max))  mean \(format(output.stats.mean))")
        }
        if let backward {
            lines.append("gradients of sum(\(backward)) (L2 norms):")
            for gradient in gradients { lines.append("  \(gradient.name)  \(format(gradient.norm))") }
        }
        if let out { lines.append("wrote \(result.outputs.count) outputs and \(gradients.count) gradients to \(out)") }
        return lines.joined(separator: "\n")
    }

    static func statistics(_ value: ONNXValue) -> (min: Double, max: Double, mean: Double) {
        let values: [Double]
        switch value {
        case .float(let tensor): values = tensor.toArray().map(Double.init)
        case .integer(let tensor): values = tensor.values.map(Double.init)
        }
        guard !values.isEmpty else { return (0, 0, 0) }
        return (values.min()!, values.max()!, values.reduce(0, +) / Double(values.count))
    }

    static func format(_ value: Double) -> String { String(format: "%.6g", value) }

    /// A JSON number (non-finite values as strings, which JSON cannot hold as numbers).
    static func number(_ value: Double) -> String { value.isFinite ? format(value) : quoted("\(value)") }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}

extension Run {
    /// The inputs of an ONNX run, as validated.
    var onnxInputs: ONNXRun.Inputs {
        input.map { .file($0) } ?? .texts(texts, pairs: pairs, tokenizer: tokenizer ?? "")
    }

    /// The usage rules of an ONNX run (exit 2 when broken): one input file, or texts with a tokenizer folder; no
    /// other text or image options.
    func validateONNXOptions() throws {
        guard (input != nil) != (!texts.isEmpty || tokenizer != nil) else {
            throw ValidationError("an ONNX model runs on --input FILE.safetensors (tensors named as the graph's inputs) "
                + "or on --text T with --tokenizer FOLDER, not both")
        }
        if input == nil, texts.isEmpty || tokenizer == nil {
            throw ValidationError(texts.isEmpty ? "--tokenizer FOLDER encodes --text T: give one or more --text"
                                                : "--text on an ONNX model needs --tokenizer FOLDER (a model folder with tokenizer files)")
        }
        guard ids == nil, images.isEmpty, arch == nil, labels == nil, loss == nil, !activations,
              activationBudget == nil else {
            throw ValidationError("an ONNX model takes --input (or --text and --tokenizer), --backward, --out and --json only")
        }
        if let out, !out.hasSuffix(".safetensors") { throw ValidationError("--out must name a .safetensors file, not '\(out)'") }
        try validatePairs()
    }
}
