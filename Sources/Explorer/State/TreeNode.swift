import NNModules

/// One node of the explorer's tree: a module (or a dotted-name prefix in browse mode) or a tensor name.
struct TreeNode {
    /// The full dotted path ("" for the root).
    let path: String
    /// The last path segment (the model name for the root).
    let name: String
    let depth: Int
    let parent: Int?
    var children: [Int] = []
    let kind: TreeRowKind
    /// The live module at this path, if any.
    let module: Module?
    /// The tensor entry of a tensor node.
    let entry: Int?
    /// The one-line type summary of a module node.
    var typeSummary: String
    /// Same number for every use of one shared tensor or module; nil when not shared.
    var sharedGroup: Int?
    var isExpanded = false
    /// Every distinct tensor entry in the subtree, in tree order.
    var subtreeEntries: [Int] = []
    /// A row of an ONNX graph's node branch: a scope of nodes or one node (nil for every other row).
    var graphItem: GraphTreeItem? = nil
}
