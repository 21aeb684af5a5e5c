import NNCore

// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// The place a module keeps one parameter: either a trainable leaf tensor or, for a lazy layer, a partial shape
/// waiting for its first input (PyTorch's `UninitializedParameter`).
///
/// The slot is a reference: a module shared at two places in a tree has one slot per parameter, and loading or
/// materialising it is seen through every path.
public final class ParameterSlot {
    /// The module that owns the slot, as errors name it (`LazyLinear(out=8)`).
    public let owner: String
    /// The parameter's name inside its module (`weight`).
    public let name: String
    /// The shape, with unknown dimensions while the slot is not initialised.
    @exclusivity(unchecked) public private(set) var shape: LazyShape
    /// The tensor, or nil while the slot is not initialised.
    @exclusivity(unchecked) public private(set) var tensorIfInitialised: Tensor?

    /// A slot holding `tensor`, which becomes a trainable leaf.
    public init(_ tensor: Tensor, name: String, owner: String) {
        tensor.requiresGrad = true
        self.tensorIfInitialised = tensor
        self.shape = LazyShape(known: tensor.shape)
        self.name = name
        self.owner = owner
    }

    /// A slot with no values yet; `shape` marks the dimensions still unknown with nil.
    public init(uninitialised shape: LazyShape, name: String, owner: String) {
        self.shape = shape
        self.name = name
        self.owner = owner
    }

    /// True once the slot holds a tensor.
    public var isInitialised: Bool { tensorIfInitialised != nil }

    /// The tensor; throws a clear error while the slot is not initialised.
    public func tensor() throws -> Tensor {
        guard let tensorIfInitialised else {
            throw ModuleError(.uninitialisedParameter,
                              "\(owner): \(name) is not initialised: run a forward pass or load a state dict first")
        }
        return tensorIfInitialised
    }

    /// Gives an uninitialised slot its tensor (which becomes a trainable leaf). The tensor's shape must agree with
    /// every known dimension.
    public func materialise(_ tensor: Tensor) throws {
        guard tensorIfInitialised == nil else {
            throw ModuleError(.invalidArgument, "\(owner): \(name) is already initialised")
        }
        guard shape.accepts(tensor.shape) else {
            throw ModuleError(.shapeMismatch,
                              "\(owner): \(name) expects shape \(shape), got \(LazyShape(known: tensor.shape))")
        }
        tensor.requiresGrad = true
        tensorIfInitialised = tensor
        shape = LazyShape(known: tensor.shape)
        // The slot's identity changed (see `identity`), so cached parameter lists may now de-duplicate differently.
        ModuleRegistrationGeneration.advance()
    }

    /// The gradient, nil before the first backward or while the slot is not initialised.
    public var grad: Tensor? { tensorIfInitialised?.grad }

    /// An identity that is the tensor's once initialised, so one tensor registered in two slots counts once: the
    /// module system's one tie key (parameter lists, SGD, loading a state dict, summaries, the explorer's tree).
    public var identity: ObjectIdentifier {
        if let tensorIfInitialised { return ObjectIdentifier(tensorIfInitialised) }
        return ObjectIdentifier(self)
    }
}
