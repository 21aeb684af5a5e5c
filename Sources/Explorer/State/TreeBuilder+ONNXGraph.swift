import Architectures
import ModelFiles

/// What a row of an ONNX graph's node branch stands for.
enum GraphTreeItem: Equatable {
    /// The branch itself (no scopes) or a scope of node names (`["bert", "encoder"]`), with the indices of the nodes
    /// below it in graph order.
    case scope([String], nodeIndices: [Int])
    /// One node, by its index in the graph.
    case node(Int)
}

extension TreeBuilder {
    /// The branch's name in the tree, beside the initializers' top-level names.
    static let graphBranchName = "graph"

    /// Appends an ONNX graph's nodes as a branch of the root: `graph` › the scopes in the node names (`bert` ›
    /// `encoder` › `layer.0` › …, from `ONNXNodeTree`) › one row per node showing its op type.
    ///
    /// Each row's count is the elements of the float initializers its nodes read (each once), so a scope reads as
    /// "the weights this part of the graph uses". Rows are plain tree nodes: the tree draws only the visible ones.
    static func appendGraphBranch(_ graph: ONNXGraphModule, to result: inout Result) {
        let onnx = graph.model.graph
        var entryOfTensor: [ObjectIdentifier: Int] = [:]
        for entry in result.entries {
            if let tensor = entry.tensor { entryOfTensor[ObjectIdentifier(tensor)] = entry.id }
        }
        let readEntries: [[Int]] = onnx.nodes.map { node in
            var seen = Set<Int>()
            return node.inputs.compactMap { input -> Int? in
                guard let tensor = graph.initializer(input), let entry = entryOfTensor[ObjectIdentifier(tensor)],
                      seen.insert(entry).inserted else { return nil }
                return entry
            }
        }
        func entries(of nodeIndices: [Int]) -> [Int] {
            var seen = Set<Int>()
            var list: [Int] = []
            for index in nodeIndices {
                for entry in readEntries[index] where seen.insert(entry).inserted { list.append(entry) }
            }
            return list
        }

        let branch = result.nodes.count
        let all = Array(onnx.nodes.indices)
        var branchNode = TreeNode(path: "graph:", name: graphBranchName, depth: 1, parent: 0, kind: .module,
                                  module: nil, entry: nil,
                                  typeSummary: "ONNX graph · " + (all.count == 1 ? "1 node" : "\(all.count) nodes"))
        branchNode.subtreeEntries = entries(of: all)
        branchNode.graphItem = .scope([], nodeIndices: all)
        result.nodes.append(branchNode)
        result.nodes[0].children.append(branch)

        // Rows come in pre-order with depths: a row's parent is the last scope seen one level up.
        var scopeAtDepth: [Int] = []
        for row in ONNXNodeTree(graph: onnx).rows {
            let parent = row.depth == 0 ? branch : scopeAtDepth[row.depth - 1]
            let index = result.nodes.count
            var node: TreeNode
            if let nodeIndex = row.nodeIndex {
                node = TreeNode(path: "graph:" + graph.useSite(ofNodeAt: nodeIndex), name: row.label,
                                depth: row.depth + 2, parent: parent, kind: .module, module: nil, entry: nil,
                                typeSummary: onnx.nodes[nodeIndex].qualifiedOpType)
                node.graphItem = .node(nodeIndex)
            } else {
                let count = row.nodeIndices.count
                node = TreeNode(path: "graph:/" + row.scopes.joined(separator: "/"), name: row.label,
                                depth: row.depth + 2, parent: parent, kind: .module, module: nil, entry: nil,
                                typeSummary: count == 1 ? "1 node" : "\(count) nodes")
                node.graphItem = .scope(row.scopes, nodeIndices: row.nodeIndices)
                scopeAtDepth.removeSubrange(min(row.depth, scopeAtDepth.count)...)
                scopeAtDepth.append(index)
            }
            node.subtreeEntries = entries(of: row.nodeIndices)
            result.nodes.append(node)
            result.nodes[parent].children.append(index)
        }
    }
}
