import Architectures
import Foundation
import ModelFiles
import NNCore
import Testing
import TestSupport
import TerminalUI
import Tokenizers
@testable import Explorer

/// ONNX files opened live in the explorer: `f` gives onnxruntime's outputs (and exactly what `ONNXGraphModule.run`
/// gives), `b` the gradients `nnview run --backward` writes, split by the node that read each initializer; edits
/// change the outputs and undo restores them; without an input file the graph runs on a seeded random input made
/// from its declared inputs.
@Suite struct LiveONNXTests {
    /// The interpreter's fixtures (torch.onnx exports with onnxruntime's outputs), read where they live.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ArchitecturesTests/Fixtures/onnx").path

    static func path(_ file: String) -> String { fixtures + "/" + file }

    /// `nnview explore NAME.onnx [--input NAME.input.safetensors]` as the command opens it.
    static func open(_ name: String, withInput: Bool = true) throws -> (ExplorerState, LiveONNXSession) {
        let modelPath = path(name + ".onnx")
        let loaded = try ModelLoader.load(modelPath)
        let input = withInput ? path(name + ".input.safetensors") : nil
        switch LiveModelOpener.open(path: modelPath, archive: loaded.archive, inputFile: input) {
        case .live(let opened):
            let session = try #require(opened as? LiveONNXSession)
            return (try ExplorerState(model: loaded, session: session), session)
        case .browse(let reason):
            Issue.record("\(name).onnx did not open live: \(reason ?? "no reason")")
            throw ExplorerError("not live")
        }
    }

    static func values(_ path: String) throws -> [String: ONNXValue] {
        var result: [String: ONNXValue] = [:]
        for record in try SafeTensorsReader.read(path: path).tensors { result[record.name] = try ONNXValue(record: record) }
        return result
    }

    /// |a − e| ≤ 1e-5 + 1e-4 |e| for every element.
    static func expectClose(_ actual: [Float], _ expected: [Float], _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, \(expected.count) expected",
                sourceLocation: sourceLocation)
        let worst = zip(actual, expected).enumerated().first { abs($0.element.0 - $0.element.1) > 1e-5 + 1e-4 * abs($0.element.1) }
        #expect(worst == nil, "\(what): element \(worst?.offset ?? -1) is \(worst?.element.0 ?? 0), expected \(worst?.element.1 ?? 0)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: ["cnn_small", "bert_mlm", "gpt2", "llama"])
    func forwardGivesOnnxruntimesOutputsAndBackwardTheRunCommandsGradients(name: String) throws {
        let (state, session) = try Self.open(name)
        #expect(state.isLive)
        try press(state, "f")
        #expect(!state.status.isError, "\(state.status.text)")
        let expected = try Self.values(Self.path(name + ".expect.safetensors"))
        let inputs = try Self.values(Self.path(name + ".input.safetensors"))
        let reference = try ONNXGraphModule(path: Self.path(name + ".onnx"))
        let referenceRun = try reference.run(inputs, backwardOutput: "output")
        for (outputName, value) in session.lastOutputs {
            let shown = value.floatTensor.toArray()
            Self.expectClose(shown, try #require(expected[outputName]).floatTensor.toArray(), "\(name) \(outputName) vs onnxruntime")
            let direct = try #require(referenceRun.outputs.first { $0.name == outputName }).value.floatTensor.toArray()
            #expect(shown == direct, "\(name) \(outputName): the explorer's forward differs from ONNXGraphModule.run")
        }
        #expect(session.lastOutputs.map(\.name) == ["output"])

        try press(state, "b")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.hasPrefix("backward: sum(output) = "))
        for (key, gradient) in referenceRun.gradients {
            let initializer = String(key.dropFirst("grad/".count))
            let parameter = try #require(session.graph.initializer(initializer))
            let mine = parameter.grad?.toArray() ?? [Float](repeating: 0, count: parameter.count)
            #expect(mine == gradient.toArray(), "\(name) \(key): the explorer's gradient differs from nnview run --backward")
        }
        #expect(state.header.lossName == "sum(output)")
        #expect(state.header.lastLoss == (try referenceRun.outputs[0].value.floatTensor.sum().item()))
    }

    /// `L` picks which floating-point output `b` sums (the first at first, then each in turn): the gradients are
    /// PyTorch's of sum(hidden) and of sum(logits) (Fixtures/onnx/two_outputs, scripts/reference/
    /// make_onnx_two_outputs.py). A graph with one float output says so and changes nothing.
    @Test func lossKeyPicksTheOutputBackwardSums() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/onnx").path
        let modelPath = folder + "/two_outputs.onnx"
        let loaded = try ModelLoader.load(modelPath)
        guard case .live(let opened) = LiveModelOpener.open(path: modelPath, archive: loaded.archive,
                                                           inputFile: folder + "/two_outputs.input.safetensors"),
              let session = opened as? LiveONNXSession else { throw ExplorerError("two_outputs.onnx did not open live") }
        let state = try ExplorerState(model: loaded, session: session)
        let expected = try SafeTensorsReader.read(path: folder + "/two_outputs.expect.safetensors").tensors
        #expect(session.floatOutputs == ["hidden", "logits"])
        for output in ["hidden", "logits"] {
            #expect(state.header.lossName == "sum(\(output))")
            try press(state, "z")
            try press(state, "b")
            #expect(state.status.text.hasPrefix("backward: sum(\(output)) = "), "\(state.status.text)")
            for record in expected where record.name.hasPrefix(output + "/grad/") {
                let name = String(record.name.dropFirst((output + "/grad/").count))
                let parameter = try #require(session.graph.initializer(name))
                let mine = parameter.grad?.toArray() ?? [Float](repeating: 0, count: parameter.count)
                Self.expectClose(mine, try record.floatValues(limit: 1 << 20), "d sum(\(output)) / d \(name)")
            }
            try press(state, "L")
            #expect(!state.status.isError, "\(state.status.text)")
        }
        #expect(state.header.lossName == "sum(hidden)", "L wraps around to the first output")

        let (single, _) = try Self.open("cnn_small")
        try press(single, "L")
        #expect(single.status.isError && single.status.text == "L: the graph has one floating-point output (output); b sums it")
        #expect(single.header.lossName == "sum(output)")
    }

    @Test func anInitializerReadByTwoNodesShowsItsGradientByNode() throws {
        // GPT-2's tied embedding: read by the token Gather and by the LM head's MatMul.
        let (state, session) = try Self.open("gpt2")
        try press(state, "b")
        #expect(state.select(path: "m.lm_head.weight"))
        let detail = try tensorDetail(state)
        let tied = try #require(detail.tiedGradients, "no gradient by use for a weight read by two nodes")
        let readers = session.graph.model.graph.nodes.indices.filter { session.graph.model.graph.nodes[$0].inputs.contains("m.lm_head.weight") }
        #expect(tied.contributions.map(\.site) == readers.map { session.graph.useSite(ofNodeAt: $0) })
        #expect(tied.contributions.allSatisfy { $0.label.hasPrefix("via node_") })
        #expect(tied.maxSumDiscrepancy <= 1e-5)
        #expect(tied.contributions.allSatisfy { $0.norm > 0 })

        // The node's pane names the same contribution.
        let site = try #require(tied.contributions.first).site
        #expect(state.select(path: "graph:" + site))
        guard case .graphNode(let node) = state.detail else { Issue.record("the node row shows no node"); return }
        let weight = try #require(node.inputs.first { $0.name == "m.lm_head.weight" })
        #expect(weight.isInitializer)
        #expect(abs((weight.gradientViaNode ?? 0) - (tied.contributions.first?.norm ?? -1)) <= 1e-6)
    }

    @Test func editingAWeightChangesTheOutputAndUndoRestoresIt() throws {
        let (state, session) = try Self.open("cnn_small")
        try press(state, "f")
        let before = try #require(session.lastOutputs.first).value.floatTensor.toArray()
        #expect(state.select(path: "12.bias"))
        try press(state, "Z")
        #expect(state.hasUnsavedChanges)
        try press(state, "f")
        let edited = try #require(session.lastOutputs.first).value.floatTensor.toArray()
        let bias = try #require(session.graph.initializer("12.bias"))
        #expect(bias.toArray().allSatisfy { $0 == 0 })
        #expect(edited != before)
        try press(state, "u f")
        #expect(try #require(session.lastOutputs.first).value.floatTensor.toArray() == before)
        #expect(!state.hasUnsavedChanges)
    }

    @Test func withoutAnInputFileTheGraphRunsOnASeededRandomInput() throws {
        let (state, session) = try Self.open("bert_mlm", withInput: false)
        let inputs = try #require(session.inputs)
        guard case .integer(let ids) = inputs["input_ids"], case .integer(let mask) = inputs["attention_mask"] else {
            Issue.record("integer inputs expected")
            return
        }
        #expect(ids.shape == [2, 14] && mask.shape == [2, 14])
        // Token ids stay below the embedding table's 1,000 rows; the mask keeps every token.
        #expect(ONNXRandomInput.idRange(for: "input_ids", in: session.graph) == 1000)
        #expect(ids.values.allSatisfy { (0 ..< 1000).contains($0) } && Set(ids.values).count > 10)
        #expect(mask.values.allSatisfy { $0 == 1 })
        #expect(state.header.inputTokens == "random (seed 0; r draws another)")
        try press(state, "f")
        #expect(!state.status.isError, "\(state.status.text)")
        let first = try #require(session.lastOutputs.first).value.floatTensor.toArray()

        try press(state, "r")
        #expect(state.status.text.hasPrefix("input: random, seed 1"), "\(state.status.text)")
        guard case .integer(let next) = session.inputs?["input_ids"] else { Issue.record("no new ids"); return }
        #expect(next.values != ids.values)
        try press(state, "f")
        #expect(try #require(session.lastOutputs.first).value.floatTensor.toArray() != first)

        // The same seed gives the same input.
        let again = try ONNXRandomInput.make(for: session.graph, seed: 0)
        guard case .integer(let same) = again["input_ids"] else { Issue.record("no ids"); return }
        #expect(same.values == ids.values)
    }

    @Test func symbolicDimensionsGetABatchOfOneAndEightTokens() throws {
        let info = ONNXValueInfo(name: "input_ids", kind: .tensor(.int64),
                                 shape: [.symbol("batch_size"), .symbol("sequence_length")])
        #expect(try ONNXRandomInput.shape(of: info) == [1, 8])
        let image = ONNXValueInfo(name: "pixels", kind: .tensor(.float), shape: [.unknown, .value(3), .symbol("h"), .unknown])
        #expect(try ONNXRandomInput.shape(of: image) == [1, 3, 8, 8])
        #expect(throws: ExplorerError.self) {
            try ONNXRandomInput.shape(of: ONNXValueInfo(name: "x", kind: .tensor(.float), shape: nil))
        }
        #expect(ONNXRandomInput.IntegerRole(inputName: "attention_mask", dataType: .int64) == .ones)
        #expect(ONNXRandomInput.IntegerRole(inputName: "token_type_ids", dataType: .int64) == .zeros)
        #expect(ONNXRandomInput.IntegerRole(inputName: "position_ids", dataType: .int64) == .positions)
        #expect(ONNXRandomInput.IntegerRole(inputName: "input_ids", dataType: .int64) == .ids)
    }

    @Test func iTakesAnInputFileAndRefusesOneWithoutTheGraphsInputs() throws {
        let (state, session) = try Self.open("cnn_small", withInput: false)
        #expect(session.inputShape == [4, 3, 16, 16])
        try press(state, "i")
        guard case .prompt(let label, _) = state.mode else { Issue.record("i opened no prompt"); return }
        #expect(label.contains("input"))
        try press(state, "Esc")
        let status = try session.setInput(Self.path("cnn_small.input.safetensors"))
        #expect(status.contains("input [4, 3, 16, 16]"))
        #expect(session.inputOrigin == .file(Self.path("cnn_small.input.safetensors")))
        #expect(throws: ExplorerError.self) { try session.setInput(Self.path("gpt2.input.safetensors")) }
        #expect(session.inputOrigin == .file(Self.path("cnn_small.input.safetensors")), "a refused file leaves the input")
        #expect(state.header.signature == ModelSignature(inputs: "input [4, 3, 16, 16] FLOAT", outputs: "output [4, 10] FLOAT"))
    }

    /// The real paraphrase-MiniLM-L3-v2 file (skipped locally when absent, required under CI): symbolic inputs
    /// become a random [1, 8] batch, the header shows the symbolic shapes, the graph branch nests its nodes by
    /// scope, and on the fixture's tokens `f` gives onnxruntime's outputs.
    @Test func realParaphraseMiniLMOpensWithItsNodesByScope() throws {
        guard let url = try RealModels.url(RealModels.paraphraseMiniLMONNX) else { return }
        let loaded = try ModelLoader.load(url.path)
        guard case .live(let opened) = LiveModelOpener.open(path: url.path, archive: loaded.archive),
              let session = opened as? LiveONNXSession else {
            Issue.record("the paraphrase-MiniLM ONNX did not open live")
            return
        }
        let state = try ExplorerState(model: loaded, session: session)
        #expect(session.inputShape == [1, 8])
        let signature = try #require(state.header.signature)
        #expect(signature.inputs == "input_ids [batch_size, sequence_length] INT64, attention_mask [batch_size, sequence_length] INT64")
        #expect(signature.outputs.hasPrefix("output [batch_size, sequence_length] INT64, 463 "))
        #expect(state.header.lossName == "sum(onnx::Shape_422)")

        let query = "graph:/model/model.0/auto_model/encoder/layer.0/attention/self/query/MatMul"
        #expect(state.select(path: query))
        #expect(state.selectedPath == query)
        #expect(treeRow(state, "graph:/model/model.0/auto_model/encoder/layer.0/attention/self")?.name == "self")
        #expect(treeRow(state, query)?.typeSummary == "MatMul")
        guard case .graphNode(let node) = state.detail else { Issue.record("the node row shows no node"); return }
        #expect(node.opType == "MatMul")
        #expect(node.inputs.map(\.isInitializer) == [false, true])

        _ = try session.setInput(Self.path("paraphrase_minilm_l3.input.safetensors"))
        try press(state, "f")
        #expect(!state.status.isError, "\(state.status.text)")
        let expected = try Self.values(Self.path("paraphrase_minilm_l3.expect.safetensors"))
        for (name, value) in session.lastOutputs {
            Self.expectClose(value.floatTensor.toArray(), try #require(expected[name]).floatTensor.toArray(), "paraphrase-MiniLM \(name)")
        }
        guard case .graphNode(let ran) = state.detail else { Issue.record("the node row shows no node"); return }
        #expect(ran.outputs.first?.seen == "FLOAT [2, 8, 384]")
    }

    /// With a tokenizer.json beside the model, `i` takes texts: the real paraphrase-MiniLM graph beside the
    /// (same BERT uncased vocabulary) tokenizer of all-MiniLM-L6-v2, both linked into a scratch folder.
    @Test func typedTextsGoThroughTheTokenizerBesideTheModel() throws {
        guard let model = try RealModels.url(RealModels.paraphraseMiniLMONNX),
              let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let linked = scratch + "/model.onnx"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: model.path)
        try FileManager.default.createSymbolicLink(atPath: scratch + "/tokenizer.json",
                                                   withDestinationPath: folder.path + "/tokenizer.json")
        let session = try LiveONNXSession(graph: try ONNXGraphModule(path: linked), modelPath: linked)
        #expect(session.inputPrompt.hasPrefix("texts"))
        let status = try session.setInput("A man is eating food. | The sky is blue today.")
        #expect(status.hasPrefix("input: 2 texts"), "\(status)")
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: URL(fileURLWithPath: scratch + "/tokenizer.json"))
        let batch = try tokenizer.encodeBatch(["A man is eating food.", "The sky is blue today."])
        guard case .integer(let ids) = session.inputs?["input_ids"], case .integer(let mask) = session.inputs?["attention_mask"] else {
            Issue.record("no token inputs")
            return
        }
        #expect(ids.values == batch.ids.flatMap { $0 })
        #expect(mask.values == batch.attentionMask.flatMap { $0 })
        let outcome = try session.forward()
        #expect(outcome.lines.contains { $0.hasPrefix("  461 [2, 384] FLOAT") }, "\(outcome.lines)")
        #expect(session.inputSummary == "texts: A man is eating food. | The sky is blue today.")
    }
}
