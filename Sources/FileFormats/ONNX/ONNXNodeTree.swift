import ModulePaths

/// A graph's nodes grouped by the scopes in their names, as a tree to browse:
/// `/bert/encoder/layer.0/attention/self/MatMul` sits in bert › encoder › layer.0 › attention › self.
///
/// Scopes are split at slashes only (`layer.0` stays one scope). Siblings keep the order in which the graph first
/// mentions them, with trailing numbers ordered as numbers (`layer.2` before `layer.10`, see `NaturalSiblingOrder`);
/// nodes stay in graph order among themselves. Unnamed nodes and names without a slash sit at the top level.
public struct ONNXNodeTree: Sendable {
    /// One row: a scope (a folder) or a node (a leaf).
    public struct Row: Sendable {
        /// The scopes from the root down to and including this one; for a node, the scopes it sits in.
        public let scopes: [String]
        /// The label: the scope's name, or the node's last name segment (its op type when unnamed).
        public let label: String
        /// 0 for the root's children.
        public let depth: Int
        /// The node's index in `ONNXGraph.nodes`, nil for a scope.
        public let nodeIndex: Int?
        /// Indices of the nodes at or below this row.
        public let nodeIndices: [Int]
    }

    /// Every row in pre-order (a scope before its contents).
    public let rows: [Row]

    public init(graph: ONNXGraph) {
        final class Scope {
            var children: [String: Scope] = [:]
            /// Entries in first-mention order: a child scope's name, or a node index.
            var entries: [Either] = []
            var nodeIndices: [Int] = []

            enum Either { case scope(String), node(Int) }

            func child(_ name: String) -> Scope {
                if let existing = children[name] { return existing }
                let made = Scope()
                children[name] = made
                entries.append(.scope(name))
                return made
            }

            /// Entries with scope names naturally ordered among the scopes' own positions.
            var orderedEntries: [Either] {
                let scopePositions = entries.indices.filter { if case .scope = entries[$0] { return true } else { return false } }
                let names = scopePositions.map { position -> String in
                    if case .scope(let name) = entries[position] { return name }
                    return ""
                }
                var result = entries
                for (position, order) in zip(scopePositions, NaturalSiblingOrder.order(names)) {
                    result[position] = .scope(names[order])
                }
                return result
            }
        }
        let root = Scope()
        for (index, node) in graph.nodes.enumerated() {
            var scope = root
            for name in node.scopes {
                scope = scope.child(name)
                scope.nodeIndices.append(index)
            }
            scope.entries.append(.node(index))
        }
        var rows: [Row] = []
        // Iterative pre-order, so absurdly deep names cannot overflow the stack.
        var stack: [(scope: Scope, entries: [Scope.Either], next: Int, path: [String])] = [(root, root.orderedEntries, 0, [])]
        while !stack.isEmpty {
            let top = stack.count - 1
            let (scope, entries, next, path) = stack[top]
            guard next < entries.count else { stack.removeLast(); continue }
            stack[top].next += 1
            switch entries[next] {
            case .node(let index):
                rows.append(Row(scopes: path, label: graph.nodes[index].leafName, depth: path.count, nodeIndex: index,
                                nodeIndices: [index]))
            case .scope(let name):
                let child = scope.children[name]!
                rows.append(Row(scopes: path + [name], label: name, depth: path.count, nodeIndex: nil,
                                nodeIndices: child.nodeIndices))
                stack.append((child, child.orderedEntries, 0, path + [name]))
            }
        }
        self.rows = rows
    }
}
