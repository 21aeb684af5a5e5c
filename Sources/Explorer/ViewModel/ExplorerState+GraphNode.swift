import Architectures
import ModelFiles
import NNCore
import TerminalUI

extension ExplorerState {
    /// The detail of a row of an ONNX graph's node branch; nil for every other row.
    func graphDetail(_ index: Int) -> GraphNodeDetailViewModel? {
        guard let item = treeCursor.nodes[index].graphItem, let session = session as? LiveONNXSession else { return nil }
        return GraphNodeDetail(session: session).detail(item, parameterCount: subtreeAggregate(index).count)
    }
}

/// Builds the detail of a node, a scope or the whole graph from the session's graph, its declared value types and
/// the shapes of its last run.
struct GraphNodeDetail {
    let session: LiveONNXSession
    var graph: ONNXGraphModule { session.graph }

    func detail(_ item: GraphTreeItem, parameterCount: Int) -> GraphNodeDetailViewModel {
        let hint = graph.lastRunShapes.isEmpty
            ? "f runs the graph: each value's shape in that run then shows beside the declared one" : nil
        switch item {
        case .node(let index):
            let node = graph.model.graph.nodes[index]
            let site = graph.useSite(ofNodeAt: index)
            let count = graph.model.graph.nodes.count
            var facts = "op \(node.qualifiedOpType) · node \(index + 1) of \(count) · opset \(graph.opset)"
            if parameterCount > 0 { facts += " · reads \(NumberFormat.count(parameterCount)) weights" }
            return GraphNodeDetailViewModel(
                title: node.name.isEmpty ? "\(node.opType) node #\(index) (unnamed)" : node.name,
                opType: node.qualifiedOpType, facts: facts,
                inputs: node.inputs.map { value($0, site: site) }, outputs: node.outputs.map { value($0, site: nil) },
                attributes: node.attributes.map { "\($0.name) = " + Self.text(of: $0.value) }, opCounts: [],
                message: hint)
        case .scope(let scopes, let indices):
            var counts: [String: Int] = [:]
            var order: [String] = []
            for index in indices {
                let op = graph.model.graph.nodes[index].qualifiedOpType
                if counts[op] == nil { order.append(op) }
                counts[op, default: 0] += 1
            }
            // Most frequent first; ties in the order of first use.
            let ranked = order.enumerated().map { (first: $0.offset, op: $0.element, count: counts[$0.element] ?? 0) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.first < $1.first }
            let ops = ranked.map { "\($0.op) × \($0.count)" }
            var facts = (indices.count == 1 ? "1 node" : "\(indices.count) nodes")
            if parameterCount > 0 { facts += " · reads \(NumberFormat.count(parameterCount)) weights" }
            // The whole graph's row lists what flows in and out of it.
            let isBranch = scopes.isEmpty
            let declared = graph.model.graph
            return GraphNodeDetailViewModel(
                title: isBranch ? "graph \(declared.name.isEmpty ? "(unnamed)" : declared.name)" : scopes.joined(separator: " › "),
                opType: nil, facts: isBranch ? facts + " · opset \(graph.opset)" : facts,
                inputs: isBranch ? declared.runtimeInputs.map { value($0.name, site: nil) } : [],
                outputs: isBranch ? declared.outputs.map { value($0.name, site: nil) } : [],
                attributes: [], opCounts: ops, message: hint)
        }
    }

    /// One value with its declared type, the last run's shape and, for a float initializer read at `site`, the
    /// norm of the gradient it got through that node.
    func value(_ name: String, site: String?) -> GraphValueViewModel {
        guard !name.isEmpty else {
            return GraphValueViewModel(name: "", declared: nil, seen: nil, isInitializer: false, gradientViaNode: nil)
        }
        let info = session.declaredTypes[name]
        let declared = info.map { "\($0.typeName) \($0.shapeText)" }
        // The run's type only when it is not the declared one (the interpreter carries FLOAT16 as FLOAT).
        let seen = graph.lastRunShapes[name].map {
            ($0.dataType.name == info?.typeName ? "" : $0.dataType.name + " ") + ShapeText.of($0.shape)
        }
        let parameter = graph.initializer(name)
        let isInitializer = parameter != nil || graph.integerInitializers[name] != nil
        var gradient: Float?
        if let parameter, let site, parameter.grad != nil,
           let contribution = parameter.gradientContributions.first(where: { $0.site == site }) {
            gradient = TensorStatistics.norm(of: contribution.gradient)
        }
        return GraphValueViewModel(name: name, declared: declared, seen: seen, isInitializer: isInitializer,
                                   gradientViaNode: gradient)
    }

    /// An attribute's value, short: numbers, lists (the first 16), a tensor's type and shape with its values when
    /// it holds at most 8.
    static func text(of value: ONNXAttribute.Value) -> String {
        func list<T>(_ items: [T], _ text: (T) -> String) -> String {
            "[" + items.prefix(16).map(text).joined(separator: ", ") + (items.count > 16 ? ", … (\(items.count))" : "") + "]"
        }
        switch value {
        case .float(let x): return NumberFormat.short(x)
        case .int(let n): return String(n)
        case .string(let s): return "\"\(s)\""
        case .floats(let xs): return list(xs, NumberFormat.short)
        case .ints(let ns): return list(ns) { String($0) }
        case .strings(let ss): return list(ss) { "\"\($0)\"" }
        case .tensor(let tensor): return tensorText(tensor)
        case .tensors(let tensors): return list(tensors, tensorText)
        case .graph(let graph): return "graph (\(graph.nodes.count) nodes)"
        case .graphs(let graphs): return "\(graphs.count) graphs"
        case .other(let kind): return kind
        }
    }

    static func tensorText(_ tensor: ONNXTensor) -> String {
        let described = "\(tensor.dataType.name) \(ShapeText.of(tensor.dims))"
        // At most 3 dimensions of at most 8: the product cannot overflow before it is compared.
        guard tensor.dims.count <= 3, tensor.dims.allSatisfy({ $0 >= 0 && $0 <= 8 }), tensor.dims.reduce(1, *) <= 8,
              let record = try? tensor.record(), let value = try? ONNXValue(record: record) else { return described }
        switch value {
        case .integer(let integers): return described + " " + list(integers.values.map(String.init))
        case .float(let floats): return described + " " + list(floats.toArray().map(NumberFormat.short))
        }
    }

    private static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}
