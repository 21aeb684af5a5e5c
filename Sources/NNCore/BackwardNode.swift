// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

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
    /// The first three inputs gradients flow to (nil where no gradient is needed), held inline: an array per
    /// recorded op is an allocation a tiny model's step notices. Inputs beyond the third (`cat` of many
    /// tensors) are in `laterInputs`.
    private var input0, input1, input2: Tensor?
    @exclusivity(unchecked) private var laterInputs: [Tensor?]
    /// Number of inputs the op had.
    @exclusivity(unchecked) public private(set) var inputCount: Int
    /// Maps the output's gradient to one gradient per input (nil where `input(i)` is nil).
    @exclusivity(unchecked) var rule: ((BackwardNode, Tensor) throws -> InputGradients)?

    /// A node for inputs `inputs`, of which those that need no gradient are dropped (stored as nil).
    @inline(__always)
    init(name: String, useSite: String?, inputs: [Tensor?], rule: @escaping (BackwardNode, Tensor) throws -> InputGradients) {
        self.name = name
        self.useSite = useSite
        inputCount = inputs.count
        func tracked(_ i: Int) -> Tensor? {
            guard i < inputs.count, let t = inputs[i], t.requiresGrad else { return nil }
            return t
        }
        input0 = tracked(0)
        input1 = tracked(1)
        input2 = tracked(2)
        laterInputs = inputs.count > 3 ? (3 ..< inputs.count).map(tracked) : []
        self.rule = rule
    }

    /// A node for the three inputs of a fused op (linear, layer norm), without an array: destroying even a
    /// stack-allocated `[Tensor?]` goes through the runtime's generic per-element code.
    @inline(__always)
    init(name: String, useSite: String?, _ a: Tensor?, _ b: Tensor?, _ c: Tensor?,
         rule: @escaping (BackwardNode, Tensor) throws -> InputGradients) {
        self.name = name
        self.useSite = useSite
        inputCount = 3
        input0 = a?.requiresGrad == true ? a : nil
        input1 = b?.requiresGrad == true ? b : nil
        input2 = c?.requiresGrad == true ? c : nil
        laterInputs = []
        self.rule = rule
    }

    /// True once a backward pass has freed this node's saved tensors.
    public var isReleased: Bool { rule == nil }

    /// Input `i` (`0 ..< inputCount`), or nil when it needs no gradient or the node was released.
    @inline(__always)
    func input(_ i: Int) -> Tensor? {
        switch i {
        case 0: return input0
        case 1: return input1
        case 2: return input2
        default: return i - 3 < laterInputs.count ? laterInputs[i - 3] : nil
        }
    }

    /// Whether input `i` needs a gradient (rules skip work for the others).
    @inline(__always)
    func needs(_ i: Int) -> Bool { input(i) != nil }

    func release() {
        rule = nil
        input0 = nil
        input1 = nil
        input2 = nil
        laterInputs = []
        inputCount = 0
    }
}

/// What a backward rule returns: one gradient per input of its node (nil where none flows), written as an array
/// literal. Up to three are held inline, so the common ops allocate no array per backward step.
struct InputGradients: ExpressibleByArrayLiteral {
    private var gradient0, gradient1, gradient2: Tensor?
    private var laterGradients: [Tensor?]
    /// Number of gradients.
    let count: Int
    /// The gradient of input 0 as rows (see `rows(_:)`); the tensors are then all nil.
    private(set) var rowGradient: RowGradient?

    @inline(__always)
    init(arrayLiteral gradients: Tensor?...) {
        self.init(gradients)
    }

    /// The gradients of a three-input node, without an array (see `BackwardNode.init(name:useSite:_:_:_:rule:)`).
    @inline(__always)
    init(_ a: Tensor?, _ b: Tensor?, _ c: Tensor?) {
        count = 3
        gradient0 = a
        gradient1 = b
        gradient2 = c
        laterGradients = []
    }

    /// The gradients in `gradients`, one per input.
    @inline(__always)
    init(_ gradients: [Tensor?]) {
        count = gradients.count
        gradient0 = gradients.count > 0 ? gradients[0] : nil
        gradient1 = gradients.count > 1 ? gradients[1] : nil
        gradient2 = gradients.count > 2 ? gradients[2] : nil
        laterGradients = gradients.count > 3 ? Array(gradients[3...]) : []
    }

    /// The gradient of a one-input node whose input gets a gradient only in some rows (an embedding's weight):
    /// backward adds the rows where the dense gradient would have gone, without a dense temporary.
    static func rows(_ gradient: RowGradient) -> InputGradients {
        var gradients: InputGradients = [nil]
        gradients.rowGradient = gradient
        return gradients
    }

    /// The gradient for input `i`, or nil.
    @inline(__always)
    subscript(i: Int) -> Tensor? {
        switch i {
        case 0: return gradient0
        case 1: return gradient1
        case 2: return gradient2
        default: return i - 3 < laterGradients.count ? laterGradients[i - 3] : nil
        }
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
    /// Gradients this site delivered as rows (an embedding's) and not yet added into `gradient`, which until
    /// then may be `GradientContribution.zeros`: they are added when someone reads the contributions
    /// (`Tensor.gradientContributions`), so a backward pass nobody inspects builds no dense copy of them.
    var unappliedRows: [RowGradient] = []

    /// Stands for a contribution that becomes the leaf's `grad` when the current pass reaches the leaf (see
    /// `Tensor.contributionIsGrad`); never visible outside a backward pass.
    static let pending = Tensor(storage: TensorStorage(uninitializedCount: 0), shape: [0], strides: [1], offset: 0)

    /// Stands for zeros of the leaf's shape under `unappliedRows`, allocated only when the rows are applied.
    static let zeros = Tensor(storage: TensorStorage(uninitializedCount: 0), shape: [0], strides: [1], offset: 0)
}
