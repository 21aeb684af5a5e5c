import Architectures
import Foundation
import Images
import ModelFiles
import NNCore
import NNModules
import TerminalUI
import Tokenizers

/// An ONNX file opened live: the graph interpreted by `ONNXGraphModule`, its float initializers the parameters.
///
/// The input is a seeded random one made from the graph's declared inputs (`ONNXRandomInput`; `r` draws the next
/// seed's), or the tensors of a safetensors file named as the graph's inputs (`--input`, or a path typed with `i`),
/// or, when a `tokenizer.json` sits beside the model, texts typed with `i`. `f` shows each graph output's shape and
/// statistics (and the top-5 classes of a one-row logits output); `b` runs backward from sum(first float output;
/// `L` picks another), so every float initializer the output depends on gets a gradient, split by the node that used it.
public final class LiveONNXSession: LiveSession {
    /// The interpreted graph; its parameters are the float initializers.
    public let graph: ONNXGraphModule
    /// The .onnx file.
    public let modelPath: String
    /// The current input by graph input name; nil when no input could be made (an input without a declared shape).
    public private(set) var inputs: [String: ONNXValue]?
    /// Where the input came from, as the header shows it.
    public private(set) var inputOrigin: InputOrigin
    /// The seed of the last random input (the next `r` draws the one after).
    public private(set) var seed: UInt64
    /// The graph outputs of the last `f` or `b`, in the graph's order.
    public private(set) var lastOutputs: [(name: String, value: ONNXValue)] = []
    /// The output `b` sums (the first floating-point output until `L` picks another); nil when the graph declares
    /// no floating-point output.
    public private(set) var lossOutput: String?
    /// The graph's floating-point outputs, in its order: those `L` steps through.
    public let floatOutputs: [String]
    /// The tokenizer beside the model, for typed texts; nil without one.
    let tokenizer: (any Tokenizer)?
    /// Why the default input could not be made, for `f` and `b` to say.
    var missingInputReason: String?
    /// What the graph declares about each value (inputs, outputs, value_info, initializers), made once.
    lazy var declaredTypes: [String: ONNXValueInfo] = graph.model.graph.valueTypes
    /// How many classes `f` lists for a one-row logits output.
    public static let topCount = 5

    /// Where an input came from.
    public enum InputOrigin: Equatable, Sendable {
        case random(seed: UInt64)
        case file(String)
        case texts([String])
        case none
    }

    /// Opens `graph` (read from `modelPath`) with the tensors of `inputFile`, or a random input from `seed`.
    public init(graph: ONNXGraphModule, modelPath: String, inputFile: String? = nil, seed: UInt64 = 0) throws {
        self.graph = graph
        self.modelPath = modelPath
        self.seed = seed
        inputOrigin = .none
        floatOutputs = Self.floatOutputs(of: graph.model.graph)
        lossOutput = floatOutputs.first
        let tokenizerFile = URL(fileURLWithPath: modelPath).deletingLastPathComponent().appendingPathComponent("tokenizer.json")
        tokenizer = FileManager.default.fileExists(atPath: tokenizerFile.path)
            ? try? TokenizerLoader.load(tokenizerJSON: tokenizerFile) : nil
        if let inputFile {
            _ = try setInput(inputFile)
        } else {
            do {
                inputs = try ONNXRandomInput.make(for: graph, seed: seed)
                inputOrigin = .random(seed: seed)
            } catch {
                missingInputReason = "\(error)"
            }
        }
    }

    /// Opens a model read by `ONNXReader` live, unless its float initializers (copied into Float32 parameters, each
    /// with room for a gradient) would take more than half of the machine's memory: that graph is browsed instead.
    public static func open(_ model: ONNXModel, path: String, inputFile: String?,
                            memory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws -> LiveONNXSession {
        var elements: UInt64 = 0
        for tensor in model.graph.initializers where tensor.dataType.isFloatingPoint {
            // Products checked here: the file's dims are not trusted.
            var count: UInt64 = 1
            for dimension in tensor.dims {
                let (product, overflow) = count.multipliedReportingOverflow(by: UInt64(max(dimension, 0)))
                count = overflow ? .max : product
            }
            let (sum, overflow) = elements.addingReportingOverflow(count)
            elements = overflow ? .max : sum
        }
        let needed = elements.multipliedReportingOverflow(by: 8)
        guard !needed.overflow, needed.partialValue <= memory / 2 else {
            throw ExplorerError("its float initializers need \(NumberFormat.count(Int(clamping: elements))) Float32 values "
                                + "and as many gradients, more than half of this machine's memory")
        }
        return try LiveONNXSession(graph: ONNXGraphModule(model: model), modelPath: path, inputFile: inputFile)
    }

    /// The graph outputs declared as floating point, in the graph's order (`b` sums the first unless `L` picks
    /// another).
    static func floatOutputs(of graph: ONNXGraph) -> [String] {
        graph.outputs.filter { info in
            if case .tensor(let type) = info.kind { return type.isFloatingPoint }
            return false
        }.map(\.name)
    }

    /// `L`: `b` sums the next floating-point output (after the last, the first again).
    public func cycleLoss() throws -> String {
        guard floatOutputs.count > 1, let current = lossOutput, let index = floatOutputs.firstIndex(of: current) else {
            throw ExplorerError(floatOutputs.isEmpty ? "L: the graph declares no floating-point output to run backward from"
                                : "L: the graph has one floating-point output (\(floatOutputs[0])); b sums it")
        }
        let next = (index + 1) % floatOutputs.count
        lossOutput = floatOutputs[next]
        return "L: b now sums \(floatOutputs[next]) (float output \(next + 1) of \(floatOutputs.count))"
    }

    public var module: Module { graph }

    public var taskDescription: String { "ONNX graph (\(graph.model.graph.nodes.count) nodes, opset \(graph.opset))" }

    public var inputPrompt: String {
        let names = graph.inputNames.joined(separator: ", ")
        return tokenizer == nil ? "input .safetensors file (tensors \(names)): "
            : "texts (' | ' between several) or a .safetensors file (tensors \(names)): "
    }

    public var inputText: String {
        switch inputOrigin {
        case .file(let path): return path
        case .texts(let texts): return texts.joined(separator: " | ")
        case .random, .none: return ""
        }
    }

    public var inputSummary: String? {
        switch inputOrigin {
        case .random(let seed): return "random (seed \(seed); r draws another)"
        case .file(let path): return "file " + (path.split(separator: "/").last.map(String.init) ?? path)
        case .texts(let texts): return "texts: " + texts.joined(separator: " | ")
        case .none: return nil
        }
    }

    public var inputShape: [Int]? {
        guard let inputs, let first = graph.inputNames.first else { return nil }
        return inputs[first]?.shape
    }

    public var lossName: String { lossOutput.map { "sum(\($0))" } ?? "none (no float output)" }

    /// The graph's inputs and outputs with their declared (symbolic) shapes, for the header:
    /// `input_ids [batch, sequence] INT64` and `logits [batch, sequence, 50257] FLOAT`.
    public var signature: ModelSignature? {
        func describe(_ values: [ONNXValueInfo]) -> String {
            values.map { "\($0.name) \($0.shapeText) \($0.typeName)" }.joined(separator: ", ")
        }
        return ModelSignature(inputs: describe(graph.model.graph.runtimeInputs), outputs: describe(graph.model.graph.outputs))
    }

    // MARK: Input

    public var drawsRandomInput: Bool { true }

    /// A new seeded random input (the next seed).
    public func drawRandomInput() throws -> String {
        let next = seed &+ 1
        let made = try ONNXRandomInput.make(for: graph, seed: next)
        seed = next
        inputs = made
        inputOrigin = .random(seed: next)
        missingInputReason = nil
        return "input: random, seed \(next) (" + shapesText(made) + "; f runs it)"
    }

    /// A path to a safetensors file, or (with a tokenizer beside the model) texts.
    public func setInput(_ text: String) throws -> String {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty else {
            throw ExplorerError("input: type the path of a .safetensors file with the graph's inputs; the input is unchanged")
        }
        let path = SavePath.expandingTilde(typed)
        if path.hasSuffix(".safetensors") || FileManager.default.fileExists(atPath: path) || tokenizer == nil {
            return try readInputFile(path)
        }
        return try tokenize(typed)
    }

    func readInputFile(_ path: String) throws -> String {
        let archive: TensorArchive
        do {
            archive = try ModelFileReader.open(path: path)
        } catch {
            throw ExplorerError("input: \(error) (the input is unchanged)")
        }
        var read: [String: ONNXValue] = [:]
        let wanted = Set(graph.inputNames)
        for record in archive.tensors where wanted.contains(record.name) {
            read[record.name] = try ONNXValue(record: record)
        }
        let missing = graph.inputNames.filter { read[$0] == nil }
        guard missing.isEmpty else {
            throw ExplorerError("input: \(path) has no tensor \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) (the graph's inputs: \(graph.inputNames.joined(separator: ", "))); the input is unchanged")
        }
        inputs = read
        inputOrigin = .file(path)
        missingInputReason = nil
        let ignored = archive.tensors.count - read.count
        return "input: \(path) (" + shapesText(read) + (ignored > 0 ? "; \(ignored) other tensors ignored" : "") + "; f runs it)"
    }

    /// Texts through the tokenizer beside the model, fed as `input_ids`, `attention_mask` and (zeros)
    /// `token_type_ids`, whichever the graph takes.
    func tokenize(_ typed: String) throws -> String {
        guard let tokenizer else { throw ExplorerError("input: no tokenizer.json beside the model: type a .safetensors path") }
        let texts = typed.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !texts.isEmpty, texts.count <= 64 else {
            throw ExplorerError("input: type 1 to 64 texts separated by ' | '; the input is unchanged")
        }
        let batch = try tokenizer.encodeBatch(texts)
        let length = batch.ids.first?.count ?? 0
        guard length > 0 else { throw ExplorerError("input: the texts give no tokens; the input is unchanged") }
        let shape = [texts.count, length]
        var made: [String: ONNXValue] = [:]
        for name in graph.inputNames {
            switch ONNXRandomInput.IntegerRole(inputName: name, dataType: .int64) {
            case .ones: made[name] = .integer(IntegerTensor(shape: shape, values: batch.attentionMask.flatMap { $0 }))
            case .zeros: made[name] = .integer(IntegerTensor(shape: shape, values: Array(repeating: 0, count: texts.count * length)))
            case .positions: made[name] = .integer(IntegerTensor(shape: shape, values: (0 ..< texts.count * length).map { $0 % length }))
            case .ids: made[name] = .integer(IntegerTensor(shape: shape, values: batch.ids.flatMap { $0 }))
            }
        }
        inputs = made
        inputOrigin = .texts(texts)
        missingInputReason = nil
        return "input: \(texts.count) text\(texts.count == 1 ? "" : "s"), \(length) tokens each (f runs them)"
    }

    func shapesText(_ values: [String: ONNXValue]) -> String {
        graph.inputNames.compactMap { name in values[name].map { "\(name) \(ShapeText.of($0.shape))" } }.joined(separator: ", ")
    }

    func requireInputs(_ action: String) throws -> [String: ONNXValue] {
        guard let inputs else {
            throw ExplorerError("\(action): no input (\(missingInputReason ?? "none given")): press i and type a .safetensors path")
        }
        return inputs
    }

    // MARK: Running

    /// Runs the graph as one call of the module, so the root's pane shows the call and its first output.
    func run(_ inputs: [String: ONNXValue]) throws -> [String: ONNXValue] {
        try graph.scopedCall(inputShape: inputShape ?? [], recordedOutput: { [lossOutput] outputs in
            guard let lossOutput, case .float(let tensor)? = outputs[lossOutput] else { return nil }
            return tensor
        }) {
            try graph.run(inputs)
        }
    }

    public func forward() throws -> LiveOutcome {
        let inputs = try requireInputs("forward")
        let values = try Autograd.noGrad { try run(inputs) }
        lastOutputs = graph.outputNames.compactMap { name in values[name].map { (name, $0) } }
        return LiveOutcome(status: "forward: " + headline(), lines: try describeOutputs())
    }

    public func backward() throws -> LiveOutcome {
        let inputs = try requireInputs("backward")
        guard let lossOutput else {
            throw ExplorerError("backward: the graph declares no floating-point output to run backward from")
        }
        let values = try run(inputs)
        lastOutputs = graph.outputNames.compactMap { name in values[name].map { (name, $0) } }
        guard case .float(let output) = values[lossOutput], output.requiresGrad else {
            throw ExplorerError("backward: \(lossOutput) does not depend on any float initializer: nothing to differentiate")
        }
        let loss = output.sum()
        try loss.backward()
        let value = try loss.item()
        var lines = try describeOutputs()
        lines.insert("loss \(NumberFormat.exact(value)) = \(lossName)", at: 0)
        return LiveOutcome(status: "backward: \(lossName) = \(NumberFormat.exact(value)); every float initializer has its gradient, split by node",
                           lines: lines, loss: value)
    }

    /// One line per output (shape, type, statistics), and the top classes of a one-row logits output.
    func describeOutputs() throws -> [String] {
        var lines = ["outputs:"]
        for (name, value) in lastOutputs {
            let values = value.floatTensor.toArray()
            var line = "  \(name) \(ShapeText.of(value.shape)) \(value.dataType.name)"
            if !values.isEmpty {
                let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
                let low = values.min() ?? 0, high = values.max() ?? 0
                line += "  mean \(NumberFormat.short(Float(mean)))  min \(NumberFormat.short(low))  max \(NumberFormat.short(high))"
            }
            lines.append(line)
        }
        if let (name, logits) = classLogits() {
            let top = try Predictions.top(Self.topCount, logits: logits.reshape([1, 1, logits.count]), batchIndex: 0, position: 0)
            lines.append("\(name) → top classes:")
            lines += top.enumerated().map {
                "  \($0.offset + 1). \(className($0.element.id, of: logits.count))  " + String(format: "%5.1f%%", Double($0.element.probability) * 100)
            }
        }
        return lines
    }

    /// The first float output shaped [1, C] (C ≥ 2): a classifier's logits.
    func classLogits() -> (String, Tensor)? {
        for (name, value) in lastOutputs {
            if case .float(let tensor) = value, tensor.rank == 2, tensor.shape[0] == 1, tensor.shape[1] >= 2 {
                return (name, tensor)
            }
        }
        return nil
    }

    func className(_ index: Int, of count: Int) -> String {
        if count == ImageNetClasses.count, let name = ImageNetClasses.name(forIndex: index) { return "\(index) \(name)" }
        return "class \(index)"
    }

    /// The status line's summary: the loss output's (or first output's) shape and mean.
    func headline() -> String {
        guard let (name, value) = lastOutputs.first(where: { $0.name == lossOutput }) ?? lastOutputs.first else {
            return "no outputs"
        }
        var text = "\(name) \(ShapeText.of(value.shape))"
        if lastOutputs.count > 1 { text += " (+\(lastOutputs.count - 1) more output\(lastOutputs.count == 2 ? "" : "s") in the root's pane)" }
        return text
    }
}
