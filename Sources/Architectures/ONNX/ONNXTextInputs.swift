import ModelFiles
import NNCore
import Tokenizers

/// The inputs of a text model's ONNX graph made from texts (`nnview run FILE.onnx --text … --tokenizer FOLDER`):
/// the texts encoded by the tokenizer and padded on the right to the longest, as transformers'
/// `tokenizer(texts, padding=True)` gives them — `input_ids`, `attention_mask` and `token_type_ids` (zeros, or the
/// pair template's types for pairs of texts), each only if the graph declares it, as a [texts, tokens] tensor of
/// the graph's declared type.
public enum ONNXTextInputs {
    /// The inputs a tokenizer gives, by the names exporters use.
    public static let names = ["input_ids", "attention_mask", "token_type_ids"]

    /// The graph's inputs for `texts`; throws naming the input when the graph wants one a tokenizer does not give
    /// or declares a shape other than [batch, sequence].
    /// With `pairs` (one per text) each text is encoded with its pair, as `tokenizer(texts, pairs, padding=True)`.
    public static func make(texts: [String], pairs: [String] = [], tokenizer: any Tokenizer,
                            graph: ONNXGraph) throws -> [String: ONNXValue] {
        guard !texts.isEmpty else { throw ONNXRunError("--text: give at least one text") }
        let batch = pairs.isEmpty ? try tokenizer.encodeBatch(texts) : try tokenizer.encodeBatch(texts, pairs: pairs)
        let length = batch.ids.first?.count ?? 0
        guard length > 0 else { throw ONNXRunError("--text: the texts give no tokens") }
        let wanted = graph.runtimeInputs
        guard wanted.contains(where: { $0.name == "input_ids" }) else {
            throw ONNXRunError("--text: the graph has no input_ids input (its inputs are "
                + wanted.map(\.name).joined(separator: ", ") + "); give --input FILE.safetensors")
        }
        if batch.hasTokenTypes, !wanted.contains(where: { $0.name == "token_type_ids" }) {
            throw ONNXRunError("--pair: the graph has no token_type_ids input, so it cannot tell the two texts of a pair apart")
        }
        var inputs: [String: ONNXValue] = [:]
        for input in wanted {
            let values: [Int]
            switch input.name {
            case "input_ids": values = batch.ids.flatMap { $0 }
            case "attention_mask": values = batch.attentionMask.flatMap { $0 }
            case "token_type_ids": values = batch.tokenTypeIDs.flatMap { $0 }
            default:
                throw ONNXRunError("--text: the graph's input \(input.name) is not one a tokenizer gives "
                    + "(\(names.joined(separator: ", "))); give --input FILE.safetensors")
            }
            if let shape = input.shape, shape.count != 2 {
                throw ONNXRunError("--text: the graph's input \(input.name) has shape \(input.shapeText), not [batch, sequence]")
            }
            let shape = [texts.count, length]
            switch input.kind {
            case .tensor(let type) where type.isFloatingPoint:
                inputs[input.name] = .float(try Tensor(values.map(Float.init), shape: shape))
            case .tensor(let type) where type.isInteger:
                inputs[input.name] = .integer(IntegerTensor(shape: shape, values: values, dataType: type))
            case .unknown:
                inputs[input.name] = .integer(IntegerTensor(shape: shape, values: values, dataType: .int64))
            default:
                throw ONNXRunError("--text: the graph's input \(input.name) has type \(input.typeName), not an integer tensor")
            }
        }
        return inputs
    }
}
