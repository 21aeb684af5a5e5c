import NNCore
import NNModules

extension ExplorerState {
    /// The id of the read-only entry showing module node `node`'s captured output: negative, so it never names one
    /// of the model's tensors in `entries` (views and statistics are kept by id all the same).
    static func outputEntryID(node: Int) -> Int { -1 - node }

    /// Whether `entry` is a module's captured output (read only) rather than one of the model's tensors.
    static func isOutputEntry(_ entry: TensorEntry) -> Bool { entry.id < 0 }

    /// The captured output of the last call of module node `node` in the last forward pass, as a read-only entry
    /// the tensor detail machinery (heatmap, statistics, histogram, zoom, cursor, slices) shows; its gradient,
    /// after a backward pass, is the entry's gradient. Nil before a forward, in browse mode, or when the capture
    /// refused that call.
    func outputEntry(node: Int) -> TensorEntry? {
        guard treeCursor.nodes.indices.contains(node), treeCursor.nodes[node].entry == nil, treeCursor.nodes[node].module != nil,
              let record = capture?.records(at: treeCursor.nodes[node].path).last else { return nil }
        let output = record.output
        // The record's output is the trace's detached copy; its `grad` is only read here.
        output.grad = record.gradient
        let entry = TensorEntry(id: Self.outputEntryID(node: node), kind: .module, buffer: output)
        let path = treeCursor.nodes[node].path.isEmpty ? "(root)" : treeCursor.nodes[node].path
        entry.names = ["output of \(path)" + (record.callNumber > 1 ? " (call \(record.callNumber))" : "")]
        return entry
    }

    /// The selected module's output entry, if it has one.
    var selectedOutputEntry: TensorEntry? { treeCursor.selectedNode.flatMap { outputEntry(node: $0) } }
}
