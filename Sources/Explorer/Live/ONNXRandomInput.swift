import Architectures
import ModelFiles
import NNCore

/// A seeded input for an ONNX graph, made from the inputs the graph declares, so a model opens runnable without
/// an input file.
///
/// Symbolic and unknown dimensions get a size: 1 for the batch (a symbol naming a batch, or an unknown first
/// dimension), `sequenceLength` for the rest (sequence lengths, image sides left open). Float inputs are standard
/// normal. Integer inputs are chosen by their role, read from the name and the graph: masks are ones, token types
/// zeros, position ids 0, 1, 2, …; any other integer input (token ids) is uniform below the size of the smallest
/// embedding table a `Gather` looks it up in, so every id is valid; `fallbackIDRange` when no table says.
enum ONNXRandomInput {
    /// The size of a batch dimension the graph leaves open.
    static let batchSize = 1
    /// The size of any other dimension the graph leaves open (a sequence of 8 tokens).
    static let sequenceLength = 8
    /// Integer ids are drawn below this when no embedding table bounds them.
    static let fallbackIDRange = 10

    /// One tensor per runtime input of `graph`, reproducible from `seed`.
    static func make(for graph: ONNXGraphModule, seed: UInt64) throws -> [String: ONNXValue] {
        var generator = SeededGenerator(seed: seed)
        var inputs: [String: ONNXValue] = [:]
        for info in graph.model.graph.runtimeInputs {
            let shape = try self.shape(of: info)
            let count = try TensorLimits.checkedElementCount(shape, limit: TensorLimits.maxElements, what: info.name)
            guard case .tensor(let type) = info.kind, type.isInteger || type.isFloatingPoint else {
                throw ExplorerError("input \"\(info.name)\" is \(info.typeName): nnview makes random inputs for float, integer and boolean tensors only; give one with i")
            }
            if type.isFloatingPoint {
                inputs[info.name] = .float(Tensor.randn(shape, generator: &generator))
                continue
            }
            let values: [Int]
            switch IntegerRole(inputName: info.name, dataType: type) {
            case .ones: values = Array(repeating: 1, count: count)
            case .zeros: values = Array(repeating: 0, count: count)
            case .positions:
                let length = max(shape.last ?? 1, 1)
                values = (0 ..< count).map { $0 % length }
            case .ids:
                let range = idRange(for: info.name, in: graph)
                values = (0 ..< count).map { _ in Int(generator.next() % UInt64(range)) }
            }
            inputs[info.name] = .integer(IntegerTensor(shape: shape, values: values, dataType: type))
        }
        return inputs
    }

    /// The declared shape with every open dimension given a size.
    static func shape(of info: ONNXValueInfo) throws -> [Int] {
        guard let declared = info.shape else {
            throw ExplorerError("input \"\(info.name)\" has no declared shape: give its tensor in a safetensors file with i")
        }
        return declared.enumerated().map { axis, dimension in
            switch dimension {
            case .value(let size): return size
            case .symbol(let name): return name.lowercased().contains("batch") ? batchSize : sequenceLength
            case .unknown: return axis == 0 ? batchSize : sequenceLength
            }
        }
    }

    /// What an integer input holds, by its name.
    enum IntegerRole: Equatable {
        case ids, ones, zeros, positions

        init(inputName: String, dataType: ONNXDataType) {
            let name = inputName.lowercased()
            if dataType == .bool || name.contains("mask") { self = .ones }
            else if name.contains("token_type") || name.contains("segment") { self = .zeros }
            else if name.contains("position") { self = .positions }
            else { self = .ids }
        }
    }

    /// Ops that pass ids through unchanged in value, so a table lookup after them still bounds the input.
    static let valuePreservingOps: Set<String> = ["Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity"]

    /// The number of rows of the smallest initializer table that `Gather` nodes index with `input` (directly or
    /// through reshapes and casts); `fallbackIDRange` when none does.
    static func idRange(for input: String, in graph: ONNXGraphModule) -> Int {
        let nodes = graph.model.graph.nodes
        var names: Set<String> = [input]
        for node in nodes where valuePreservingOps.contains(node.opType) && node.inputs.first.map(names.contains) == true {
            names.formUnion(node.outputs.filter { !$0.isEmpty })
        }
        let dims = Dictionary(graph.model.graph.initializers.map { ($0.name, $0.dims) }, uniquingKeysWith: { first, _ in first })
        var smallest: Int?
        for node in nodes where node.opType == "Gather" && node.inputs.count >= 2 && names.contains(node.inputs[1]) {
            guard let tableDims = dims[node.inputs[0]], !tableDims.isEmpty else { continue }
            let axis = node.attribute("axis")?.int ?? 0
            let resolved = axis < 0 ? axis + tableDims.count : axis
            guard tableDims.indices.contains(resolved), tableDims[resolved] > 0 else { continue }
            smallest = min(smallest ?? Int.max, tableDims[resolved])
        }
        return smallest ?? fallbackIDRange
    }
}
