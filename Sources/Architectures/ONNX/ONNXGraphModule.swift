import ModelFiles
import ModulePaths
import NNCore
import NNModules

/// An ONNX graph as a live module: float initializers are its parameters, named by their dotted names (so
/// `m.bert.embeddings.LayerNorm.weight` sits at m › bert › embeddings › LayerNorm like in any other format), and
/// `run` interprets the nodes with NNCore's ops, so `backward()` gives a `grad` for every float initializer.
///
/// Each node runs under its own use site (the node's name), so an initializer read by several nodes — a tied
/// weight, or equal constants the exporter merged into one — gets one gradient contribution per node, like a
/// tied parameter used by several modules.
///
/// ```swift
/// let graph = try ONNXGraphModule(path: "model.onnx")
/// let outputs = try graph.run(["input_ids": .integer(ids), "attention_mask": .integer(mask)])
/// try outputs["logits"]!.floatTensor.sum().backward()
/// graph.initializer("lm_head.weight")!.grad
/// ```
public final class ONNXGraphModule: Module {
    /// The model as read from the file.
    public let model: ONNXModel
    /// The float initializers as parameter tensors, by their ONNX names (each the same object as the parameter).
    public private(set) var initializers: [String: Tensor] = [:]
    /// Integer and boolean initializers (shapes, indices, masks): constants of the graph, not parameters.
    public private(set) var integerInitializers: [String: IntegerTensor] = [:]
    /// The default domain's opset the nodes are run with.
    public let opset: Int
    /// For each value, the index of the last node that reads it (graph outputs are kept to the end).
    private let lastUse: [String: Int]
    /// The shape and element type of every value the last `run` fed or computed (inputs and node outputs), by
    /// value name: what the explorer's node tree shows beside the declared shapes. Kept as shapes only, so a run
    /// still frees each intermediate tensor after its last reader.
    public private(set) var lastRunShapes: [String: ONNXValueShape] = [:]

    /// Reads the ONNX file at `path` (external data beside it) and builds the module.
    public convenience init(path: String) throws {
        try self.init(model: ONNXReader.read(path: path))
    }

    /// Builds the module from a model read by `ONNXReader`: every float initializer becomes a parameter.
    public init(model: ONNXModel) throws {
        self.model = model
        opset = model.opsetVersion() ?? 21
        var lastUse: [String: Int] = [:]
        for (index, node) in model.graph.nodes.enumerated() {
            for input in node.inputs where !input.isEmpty { lastUse[input] = index }
        }
        for output in model.graph.outputs { lastUse[output.name] = Int.max }
        self.lastUse = lastUse
        super.init()
        var scopes: [String: Module] = ["": self]
        for tensor in model.graph.initializers {
            let record = try tensor.record()
            switch try ONNXValue(record: record) {
            case .integer(let values):
                integerInitializers[tensor.name] = values
            case .float(let values):
                initializers[tensor.name] = values
                try registerInitializer(tensor.name, values, scopes: &scopes)
            }
        }
    }

    override public var typeName: String { "ONNXGraph" }

    override public var summary: String {
        "ONNXGraph(\(model.graph.nodes.count) nodes, opset \(opset))"
    }

    /// The graph's inputs that callers feed (inputs without an initializer), in order.
    public var inputNames: [String] { model.graph.runtimeInputs.map(\.name) }

    /// The graph's outputs, in order.
    public var outputNames: [String] { model.graph.outputs.map(\.name) }

    /// The parameter holding the float initializer `name`, or nil.
    public func initializer(_ name: String) -> Tensor? { initializers[name] }

    /// The use site a node's ops record (its name, or `op_type#index` for an unnamed node): the key of its
    /// gradient contributions.
    public func useSite(ofNodeAt index: Int) -> String {
        let node = model.graph.nodes[index]
        return node.name.isEmpty ? "\(node.opType)#\(index)" : node.name
    }

    /// Runs the graph on `inputs` (by the graph's input names) and returns every graph output by name.
    ///
    /// Inputs are checked against the declared shapes: fixed sizes must match and each symbolic dimension
    /// (`batch_size`) takes one size across all inputs. Integer inputs may be given as float tensors of whole
    /// numbers and the other way round. An unsupported op or a bad shape throws one line naming the node.
    public func run(_ inputs: [String: ONNXValue]) throws -> [String: ONNXValue] {
        var values = try checkedInputs(inputs)
        var shapes: [String: ONNXValueShape] = [:]
        for (name, value) in values { shapes[name] = ONNXValueShape(value) }
        defer { lastRunShapes = shapes }
        for (index, node) in model.graph.nodes.enumerated() {
            let arguments = try node.inputs.map { name -> ONNXValue? in
                if name.isEmpty { return nil }
                if let value = values[name] { return value }
                if let tensor = initializers[name] { return .float(tensor) }
                if let tensor = integerInitializers[name] { return .integer(tensor) }
                throw ONNXRunError("\(node.opType) node \"\(node.name)\" reads \"\(name)\", which no input, initializer or earlier node defines")
            }
            let context = ONNXNodeContext(node: node, inputs: arguments, opset: opset)
            let outputs = try Autograd.withUseSite(useSite(ofNodeAt: index)) { try ONNXOperators.run(context) }
            guard outputs.count >= node.outputs.filter({ !$0.isEmpty }).count else {
                throw context.error("gave \(outputs.count) outputs for \(node.outputs.count) names")
            }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty {
                values[name] = value
                shapes[name] = ONNXValueShape(value)
            }
            // Intermediate values are dropped after their last reader, so a long graph does not hold them all.
            for name in node.inputs where !name.isEmpty && (lastUse[name] ?? 0) <= index { values[name] = nil }
        }
        var result: [String: ONNXValue] = [:]
        for output in model.graph.outputs {
            if let value = values[output.name] { result[output.name] = value }
            else if let tensor = initializers[output.name] { result[output.name] = .float(tensor) }
            else if let tensor = integerInitializers[output.name] { result[output.name] = .integer(tensor) }
            else { throw ONNXRunError("graph output \"\(output.name)\" is never computed") }
        }
        return result
    }

    /// A graph with one input and a float first output runs as a one-tensor module.
    override public func forward(_ x: Tensor) throws -> Tensor {
        guard inputNames.count == 1, let output = outputNames.first else {
            throw ONNXRunError("this ONNX graph has \(inputNames.count) inputs (\(inputNames.joined(separator: ", "))): call run with each by name")
        }
        return try run([inputNames[0]: .float(x)])[output]!.floatTensor
    }

    /// The inputs converted to their declared element kinds and checked against the declared (symbolic) shapes.
    private func checkedInputs(_ inputs: [String: ONNXValue]) throws -> [String: ONNXValue] {
        var symbols: [String: (size: Int, input: String)] = [:]
        var checked: [String: ONNXValue] = [:]
        let declared = Dictionary(model.graph.inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in inputs.keys where declared[name] == nil {
            throw ONNXRunError("the graph has no input \"\(name)\" (its inputs: \(inputNames.joined(separator: ", ")))")
        }
        for info in model.graph.runtimeInputs {
            guard var value = inputs[info.name] else {
                throw ONNXRunError("input \"\(info.name)\" (\(info.typeName) \(info.shapeText)) is missing")
            }
            if case .tensor(let type) = info.kind {
                value = try converted(value, to: type, input: info.name)
            }
            if let shape = info.shape {
                guard shape.count == value.shape.count else {
                    throw ONNXRunError("input \"\(info.name)\" has shape \(value.shape), the graph declares \(info.shapeText)")
                }
                for (dimension, size) in zip(shape, value.shape) {
                    switch dimension {
                    case .value(let expected) where expected != size:
                        throw ONNXRunError("input \"\(info.name)\" has shape \(value.shape), the graph declares \(info.shapeText)")
                    case .symbol(let symbol):
                        if let bound = symbols[symbol], bound.size != size {
                            throw ONNXRunError("input \"\(info.name)\" has \(symbol) = \(size), but \"\(bound.input)\" has \(symbol) = \(bound.size)")
                        }
                        symbols[symbol] = (size, info.name)
                    default: break
                    }
                }
            }
            checked[info.name] = value
        }
        // Initializers fed by name (IR < 4 lists them as inputs with defaults) override them.
        for (name, value) in inputs where checked[name] == nil { checked[name] = value }
        return checked
    }

    private func converted(_ value: ONNXValue, to type: ONNXDataType, input: String) throws -> ONNXValue {
        switch value {
        case .float(let tensor) where type.isInteger:
            let floats = tensor.toArray()
            guard floats.allSatisfy({ (value: Float) in value == value.rounded() && abs(value) < 16_777_216 }) else {
                throw ONNXRunError("input \"\(input)\" must hold integers (\(type.name))")
            }
            return .integer(IntegerTensor(shape: tensor.shape, values: floats.map { Int($0) }, dataType: type))
        case .integer(let tensor) where type.isFloatingPoint:
            return .float(ONNXValue.integer(tensor).floatTensor)
        default:
            return value
        }
    }

    /// Registers `tensor` as a parameter at its dotted name (`a.b.weight` → child a › b, parameter weight). A name
    /// that cannot be a path (an empty segment, or a segment already used as a parameter) is kept whole on this
    /// module with its dots replaced by `_`.
    private func registerInitializer(_ name: String, _ tensor: Tensor, scopes: inout [String: Module]) throws {
        let segments = ModulePath.segments(name).map(String.init)
        if segments.allSatisfy({ !$0.isEmpty }) {
            var path = ""
            var parent: Module = self
            var usable = true
            for segment in segments.dropLast() {
                let childPath = ModulePath.join(path, segment)
                if let existing = scopes[childPath] {
                    parent = existing
                } else if parent.parameterSlot(segment) == nil {
                    let scope = ONNXScope()
                    parent.addModule(segment, scope)
                    scopes[childPath] = scope
                    parent = scope
                } else {
                    usable = false
                    break
                }
                path = childPath
            }
            let leaf = segments.last!
            if usable, parent.child(leaf) == nil, parent.parameterSlot(leaf) == nil {
                parent.registerParameter(leaf, tensor)
                return
            }
        }
        var flat = String(name.map { $0 == "." ? "_" : $0 })
        if flat.isEmpty { flat = "_" }
        while parameterSlot(flat) != nil || child(flat) != nil { flat += "_" }
        registerParameter(flat, tensor)
    }
}

/// A scope of initializer names (`m`, `bert`, `embeddings`) in an `ONNXGraphModule`'s tree; it has parameters
/// and children but no computation of its own.
public final class ONNXScope: Module {
    override public var typeName: String { "ONNXScope" }
}
