/// One recorded op of the graph (PyTorch's `grad_fn`): its inputs and its backward rule.
///
/// Inputs that did not require a gradient are stored as nil, so nothing flows to them and they are not kept
/// alive. After a backward pass the node releases its inputs and saved tensors (`isReleased`), keeping only its
/// name, so memory stays flat across training steps.
public final class BackwardNode: @unchecked Sendable {
    /// PyTorch's name for the node, e.g. `AddmmBackward0`.
    public let name: String
    /// The use site (module path) active when the op ran, or nil.
    public let useSite: String?
    /// The inputs gradients flow to (nil where no gradient is needed).
    var inputs: [Tensor?]
    /// Maps the output's gradient to one gradient per input (nil where `inputs[i]` is nil).
    var rule: ((BackwardNode, Tensor) throws -> [Tensor?])?

    init(name: String, useSite: String?, inputs: [Tensor?], rule: @escaping (BackwardNode, Tensor) throws -> [Tensor?]) {
        self.name = name
        self.useSite = useSite
        self.inputs = inputs
        self.rule = rule
    }

    /// True once a backward pass has freed this node's saved tensors.
    public var isReleased: Bool { rule == nil }

    /// Number of inputs the op had.
    public var inputCount: Int { inputs.count }

    /// Whether input `i` needs a gradient (rules skip work for the others).
    @inline(__always)
    func needs(_ i: Int) -> Bool { inputs[i] != nil }

    func release() {
        rule = nil
        inputs = []
    }
}

/// The part of a leaf's gradient that came through one use site.
public struct GradientContribution: @unchecked Sendable {
    /// The use-site path (module path) of the op that consumed the leaf; "" when none was set.
    public let site: String
    /// The gradient that flowed in through that site, summed over backward calls. While a leaf has one use site
    /// this is its `grad` tensor itself (not a copy); an edit through the data-editing API (`copyData`, `fill`,
    /// …) of either first gives the contribution a copy, so edits never show in it.
    public internal(set) var gradient: Tensor
    /// Position in forward order of the node that first delivered this site during the current backward pass
    /// (nil once the pass has ordered it), so new sites are listed in the order the forward pass used them.
    var forwardPosition: Int?

    /// Stands for a contribution that becomes the leaf's `grad` when the current pass reaches the leaf (see
    /// `Tensor.contributionIsGrad`); never visible outside a backward pass.
    static let pending = Tensor(storage: TensorStorage(uninitializedCount: 0), shape: [0], strides: [1], offset: 0)
}
