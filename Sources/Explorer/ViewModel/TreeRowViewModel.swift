/// What a tree row stands for.
public enum TreeRowKind: Equatable, Sendable {
    /// A module (or, in browse mode, a dotted-name prefix).
    case module
    /// A trainable parameter.
    case parameter
    /// A buffer: state that is saved but not trained.
    case buffer
}

/// One row of the module tree, ready to draw.
public struct TreeRowViewModel: Equatable, Sendable {
    /// Nesting depth (0 for the root row).
    public var depth: Int
    /// What the row is.
    public var kind: TreeRowKind
    /// The last segment of the dotted path ("2", "weight"); the model name for the root.
    public var name: String
    /// The full dotted path ("2.weight"; "" for the root).
    public var path: String
    /// A module's one-line summary (`Linear(8 → 8)`); empty for tensors.
    public var typeSummary: String
    /// A tensor's shape (`[8, 8]`, `[?, 8]` while lazy); empty for modules.
    public var shapeText: String
    /// A tensor's element type (`F32`, `BF16`); empty for modules.
    public var dtype: String
    /// Elements in this subtree, each distinct tensor once (a lazy parameter counts 0 until initialised).
    public var parameterCount: Int
    /// Same number for every use of one shared parameter or module instance; nil when not shared.
    public var sharedGroup: Int?
    /// A lazy parameter that has no values yet (or a module holding one).
    public var isLazyUninitialised: Bool
    /// The gradient's L2 norm after a backward pass; nil without a gradient.
    public var gradNorm: Float?
    /// The tensor (or a tensor in this module) was edited and not saved yet.
    public var isEdited: Bool
    /// Whether the row has children.
    public var isExpandable: Bool
    /// Whether its children are shown.
    public var isExpanded: Bool
}
