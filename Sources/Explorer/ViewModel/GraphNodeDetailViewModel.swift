/// An ONNX graph's node (or a scope of nodes, or the whole graph) in the detail pane: what it computes, the values
/// it reads and writes with their declared shapes and the shapes the last run gave them.
public struct GraphNodeDetailViewModel: Equatable, Sendable {
    /// The node's name (`/bert/encoder/layer.0/attention/self/MatMul`), or the scope as a path (`bert › encoder`).
    public var title: String
    /// The node's op type (`MatMul`, `com.microsoft.FusedMatMul`); nil for a scope.
    public var opType: String?
    /// One line of facts: `op MatMul · node 42 of 354 · opset 18`, or a scope's node count.
    public var facts: String
    /// A node's inputs (the whole graph's inputs for the branch); empty for a scope.
    public var inputs: [GraphValueViewModel]
    /// A node's outputs (the whole graph's outputs for the branch); empty for a scope.
    public var outputs: [GraphValueViewModel]
    /// A node's attributes as `name = value` (`perm = [0, 2, 1, 3]`).
    public var attributes: [String]
    /// A scope's op types with their counts, most frequent first (`MatMul × 6`).
    public var opCounts: [String]
    /// A hint, e.g. that `f` fills in the shapes of a run.
    public var message: String?
}

/// One value a node reads or writes.
public struct GraphValueViewModel: Equatable, Sendable {
    /// The value's name ("" for an omitted optional input).
    public var name: String
    /// What the graph declares: `FLOAT [batch, 128]`; nil when it declares nothing.
    public var declared: String?
    /// The shape the last run gave it, `[1, 8, 384]`, led by the element type when that differs from the declared
    /// one; nil before a run (or for a value the run did not reach).
    public var seen: String?
    /// Whether the value is an initializer (a weight or a constant of the graph).
    public var isInitializer: Bool
    /// For a float initializer after `b`: the norm of the gradient that flowed into it through this node.
    public var gradientViaNode: Float?
}
