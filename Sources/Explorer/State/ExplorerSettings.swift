/// The explorer's tunable limits and defaults, in one place with what each is for. `ExplorerOptions.settings`
/// carries them; the defaults are what nnview uses.
public struct ExplorerSettings: Sendable, Equatable {
    /// A tree of at most this many nodes opens fully expanded.
    public var expandWholeTreeUpTo: Int
    /// In a larger tree, each child of the root opens when it has at most this many children…
    public var expandRootChildrenUpTo: Int
    /// …and the tree has at most this many nodes; beyond that only the root is open (a big checkpoint would
    /// otherwise open as thousands of rows).
    public var expandRootChildrenInTreesUpTo: Int
    /// The SGD learning rate when the spec names none, and for live sessions and browsed files.
    public var defaultLearningRate: Float
    /// Values the undo history may hold (old and new values each; 32M values are 256 MB). Older edits are
    /// forgotten to stay under it; an edit or SGD step larger than it on its own is applied but cannot be undone.
    public var undoBudgetValues: Int
    /// Elements from which an edit or save is announced with a "working…" line before it runs (a million take a
    /// noticeable moment).
    public var slowWorkElements: Int
    /// A spec's input whose values are all whole numbers in [0, this) is taken for token ids or class indices, so
    /// `r` draws new ids in the same range instead of random floats.
    public var integralInputLimit: Float
    /// The bytes a live model may keep of activations, gradients and attention maps per forward pass.
    public var activationBudgetBytes: Int

    /// The settings nnview uses.
    public init(expandWholeTreeUpTo: Int = 200, expandRootChildrenUpTo: Int = 50,
                expandRootChildrenInTreesUpTo: Int = 2000, defaultLearningRate: Float = 0.01,
                undoBudgetValues: Int = 32 << 20, slowWorkElements: Int = 1_000_000,
                integralInputLimit: Float = 1_000_000, activationBudgetBytes: Int = 64 << 20) {
        self.expandWholeTreeUpTo = expandWholeTreeUpTo
        self.expandRootChildrenUpTo = expandRootChildrenUpTo
        self.expandRootChildrenInTreesUpTo = expandRootChildrenInTreesUpTo
        self.defaultLearningRate = defaultLearningRate
        self.undoBudgetValues = undoBudgetValues
        self.slowWorkElements = slowWorkElements
        self.integralInputLimit = integralInputLimit
        self.activationBudgetBytes = activationBudgetBytes
    }
}
