import Foundation
import ModelFiles
import NNCore
import Testing
import TestSupport
import Tokenizers
@testable import Architectures

/// Texts through a tokenizer into an ONNX graph (`nnview run FILE.onnx --text … --tokenizer FOLDER`).
@Suite struct ONNXTextInputsTests {
    static let texts = ["Saving edited weights back into an ONNX file.", "A tokenizer feeds the graph.", "Short"]

    /// The real paraphrase-MiniLM-L3-v2 file, its texts encoded by the uncased BERT WordPiece tokenizer of the
    /// all-MiniLM-L6-v2 folder (the ONNX package ships none; the vocabulary is the same): the ids and mask the
    /// `tokenizers` library gives, and onnxruntime's four outputs (scripts/reference/make_onnx_text_reference.py).
    @Test func realParaphraseMiniLMOnTextsMatchesOnnxruntime() throws {
        guard let model = try RealModels.url(RealModels.paraphraseMiniLMONNX),
              let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let graph = try ONNXGraphModule(path: model.path)
        let tokenizer = try TokenizerLoader.load(folder: folder)
        let inputs = try ONNXTextInputs.make(texts: Self.texts, tokenizer: tokenizer, graph: graph.model.graph)
        let expect = try ONNXReference.tensors(Fixtures.path("onnx/paraphrase_minilm_l3.text.expect.safetensors"))
        #expect(Set(inputs.keys) == ["input_ids", "attention_mask"])
        for name in ["input_ids", "attention_mask"] {
            guard case .integer(let values)? = inputs[name], case .integer(let expected)? = expect[name] else {
                Issue.record("\(name) is not an integer tensor")
                continue
            }
            #expect(values.shape == [3, 12] && values.values == expected.values && values.dataType == .int64, "\(name)")
        }
        let outputs = try graph.run(inputs)
        for name in graph.outputNames {
            try ONNXReference.expectClose(try #require(outputs[name]), try #require(expect[name]), what: "paraphrase-MiniLM \(name)")
        }
    }

    /// Only the inputs the graph declares, in its declared type; an input a tokenizer cannot give is named.
    @Test func inputsFollowTheGraphsDeclarations() throws {
        let tokenizer = try TokenizerLoader.load(folder: URL(fileURLWithPath: Fixtures.path("bert_mlm")))
        let bert = try ONNXReader.read(path: Fixtures.path("onnx/bert_mlm.onnx")).graph
        func graph(_ inputs: [(String, ONNXDataType)]) -> ONNXGraph {
            var graph = bert
            graph.inputs = inputs.map { ONNXValueInfo(name: $0.0, kind: .tensor($0.1), shape: [.symbol("batch"), .symbol("sequence")]) }
            return graph
        }
        let three = try ONNXTextInputs.make(texts: ["hello world", "hi"], tokenizer: tokenizer,
                                            graph: graph([("input_ids", .int32), ("token_type_ids", .int64), ("attention_mask", .float)]))
        guard case .integer(let ids)? = three["input_ids"], case .integer(let types)? = three["token_type_ids"],
              case .float(let mask)? = three["attention_mask"] else {
            Issue.record("inputs of the wrong kinds: \(three.keys.sorted())")
            return
        }
        let length = ids.shape[1]
        #expect(ids.dataType == .int32 && ids.shape == [2, length] && types.values.allSatisfy { $0 == 0 })
        let encoded = try tokenizer.encodeBatch(["hello world", "hi"])
        #expect(ids.values == encoded.ids.flatMap { $0 })
        #expect(mask.toArray() == encoded.attentionMask.flatMap { $0 }.map(Float.init))
        #expect(throws: ONNXRunError.self) {
            try ONNXTextInputs.make(texts: ["x"], tokenizer: tokenizer, graph: graph([("input_ids", .int64), ("position_ids", .int64)]))
        }
        #expect(throws: ONNXRunError.self) {
            try ONNXTextInputs.make(texts: ["x"], tokenizer: tokenizer, graph: graph([("pixel_values", .float)]))
        }
    }
}
