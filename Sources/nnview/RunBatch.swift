import Architectures
import Foundation
import ModelFiles
import NNCore

/// The batch `nnview run` feeds the model: ids [B, T] and attention mask [B, T], with the texts and tokens they
/// came from when a tokenizer made them.
struct RunBatch {
    var texts: [String]
    var tokens: [[String]]?
    var inputIDs: Tensor
    var attentionMask: Tensor
    /// [B, T] token types (pairs of texts, or a file's `token_type_ids`); nil when all are 0.
    var tokenTypeIDs: Tensor?
    /// The vocabulary's spelling of an id (nil without a tokenizer).
    var tokenText: (Int) -> String?
    /// The id of the mask token (`[MASK]`), for masked LMs.
    var maskID: Int?

    /// The number of real tokens of text `index`.
    func length(_ index: Int) -> Int {
        let width = inputIDs.shape[1]
        let mask = attentionMask.toArray()
        return (0 ..< width).filter { mask[index * width + $0] != 0 }.count
    }

    static func make(options: Run, loaded: LoadedTransformer) throws -> RunBatch {
        if let path = options.ids { return try fromIDsFile(path) }
        return try fromTexts(options.texts, pairs: options.pairs, loaded: loaded)
    }

    /// `input_ids`, `attention_mask` and `token_type_ids` from a safetensors file (the fixtures' layout).
    static func fromIDsFile(_ path: String) throws -> RunBatch {
        let archive = try ModelFileReader.open(path: path)
        guard let idsRecord = archive.tensor(named: "input_ids"), idsRecord.shape.count == 2 else {
            throw ModelFileError("has no 2-d tensor named \"input_ids\"", file: path)
        }
        let ids = try idsRecord.makeTensor()
        let mask = try archive.tensor(named: "attention_mask").map { try $0.makeTensor() } ?? Tensor.ones(ids.shape)
        guard mask.shape == ids.shape else {
            throw ModelFileError("attention_mask \(mask.shape) differs from input_ids \(ids.shape)", file: path)
        }
        let types = try archive.tensor(named: "token_type_ids").map { try $0.makeTensor() }
        if let types, types.shape != ids.shape {
            throw ModelFileError("token_type_ids \(types.shape) differs from input_ids \(ids.shape)", file: path)
        }
        return RunBatch(texts: (0 ..< ids.shape[0]).map { "(ids \($0 + 1))" }, tokens: nil, inputIDs: ids,
                        attentionMask: mask, tokenTypeIDs: types, tokenText: { _ in nil }, maskID: nil)
    }
}
