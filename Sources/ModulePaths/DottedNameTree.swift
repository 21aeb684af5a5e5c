/// The module tree a weights file implies: its dotted tensor names (`0.weight`, `blk.0.attn_q.weight`) split at
/// the dots into folders and leaves, so a file alone can be browsed like a model.
///
/// Siblings keep the order in which the file first mentions them, except that names differing only in a trailing
/// number (indices of a Sequential, `layer9`/`layer10`) are ordered as numbers (see `NaturalSiblingOrder`).
public struct DottedNameTree {
    /// One node: a folder (a dotted prefix) or a leaf (a whole name).
    public struct Node {
        /// The dotted path from the root (`"0"`, `"0.weight"`).
        public let path: String
        /// The last segment (`"weight"`).
        public let segment: String
        /// 0 for the root's children.
        public let depth: Int
        /// Indices into the names given to `init`, of every name at or below this node.
        public let nameIndices: [Int]
        /// The index of the name this node is, nil for a pure folder (the last one when the name is repeated).
        public let leafIndex: Int?
        /// Every index of a name that is exactly this node's path, in order (more than one when the file repeats it).
        public let leafIndices: [Int]
    }

    /// Every node in pre-order (a folder before its children).
    public let nodes: [Node]

    /// Builds the tree of `names`. A name that is also the prefix of another (`a` and `a.b`) is both a leaf and a
    /// folder: one node with `leafIndex` set and children below it.
    public init(names: [String]) {
        final class Builder {
            var children: [String: Builder] = [:]
            var order: [String] = []
            var leafIndices: [Int] = []
            var nameIndices: [Int] = []

            func child(_ segment: String) -> Builder {
                if let existing = children[segment] { return existing }
                let made = Builder()
                children[segment] = made
                order.append(segment)
                return made
            }

            var sortedOrder: [String] {
                NaturalSiblingOrder.order(order).map { order[$0] }
            }
        }
        let root = Builder()
        for (index, name) in names.enumerated() {
            var node = root
            for segment in ModulePath.segments(name) {
                node = node.child(String(segment))
                node.nameIndices.append(index)
            }
            node.leafIndices.append(index)
        }
        var result: [Node] = []
        // Iterative pre-order, so absurdly deep names cannot overflow the stack.
        var stack: [(builder: Builder, segment: String, path: String, depth: Int)] = root.sortedOrder.reversed().map {
            (root.children[$0]!, $0, $0, 0)
        }
        while let (builder, segment, path, depth) = stack.popLast() {
            result.append(Node(path: path, segment: segment, depth: depth, nameIndices: builder.nameIndices,
                               leafIndex: builder.leafIndices.last, leafIndices: builder.leafIndices))
            for childSegment in builder.sortedOrder.reversed() {
                // The name's own prefix: an empty first segment (`.a`) still gets its dot.
                stack.append((builder.children[childSegment]!, childSegment, path + String(ModulePath.separator) + childSegment,
                              depth + 1))
            }
        }
        nodes = result
    }
}
