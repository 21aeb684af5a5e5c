import ModulePaths
import NNCore

// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// A building block of a network, like PyTorch's `nn.Module`: it owns ordered, named children, parameters and
/// buffers, and computes `forward`. Subclasses register what they own in their initialiser and override
/// `forward`; callers call the module itself (`try net(x)`), which attributes the ops to the module's path.
///
/// One instance may be registered under several names (the book's tied network); the tree walks below then
/// follow PyTorch exactly: `namedModules()` and `namedParameters()` list each instance once under its first path,
/// `stateDict()` lists every path.
open class Module: CustomStringConvertible {
    /// Children in registration order. The same instance may appear under several names.
    @exclusivity(unchecked) private(set) var childEntries: [(name: String, module: Module)] = []
    /// Parameters in registration order.
    @exclusivity(unchecked) private(set) var parameterEntries: [(name: String, slot: ParameterSlot)] = []
    /// Buffers (tensors that are state but not trained) in registration order.
    @exclusivity(unchecked) private(set) var bufferEntries: [(name: String, tensor: Tensor)] = []

    /// True in training mode (the default), false after `eval()`. Dropout is active only in training mode.
    @exclusivity(unchecked) public private(set) var isTraining = true

    /// The record of every module call of the last forward started at this module (nil before one). A failed pass
    /// is recorded too, up to where it stopped: the call that threw has no output shape. Its outputs are let go
    /// when the next forward pass from this module begins.
    @exclusivity(unchecked) public internal(set) var lastForward: ForwardTrace?

    /// Set to capture every module output (and its gradient, and attention maps) of the forward passes started
    /// at this module; nil (the default) captures nothing. See `ActivationCapture`.
    public var activationCapture: ActivationCapture?

    /// How this module's output shape follows from its input's, when `ModuleRegistry` made it from a
    /// `LayerDescription` (`ActivationWalk` reads it); nil for a module made otherwise.
    var describedActivation: ActivationRule?

    /// Set while this module's forward runs (see `call(_:as:)`): its call path and the trace being filled. A
    /// module runs on one thread at a time (modules are not `Sendable`).
    @exclusivity(unchecked) var activeCall: ModuleActiveCall?

    /// `String(describing: type(of: self))`, computed once: the default `typeName` is read on every call (for
    /// the forward trace) and reflection costs more than a whole tiny layer.
    private lazy var reflectedTypeName = String(describing: type(of: self))

    /// The tree's parameter slots as `parameters()` last listed them, and the registration generation they
    /// were listed at (see `ModuleRegistrationGeneration`); `zeroGrad()` reuses them while nothing in any tree
    /// was registered since.
    @exclusivity(unchecked) private var parameterCache: (generation: UInt64, slots: [ParameterSlot])?

    /// Creates a module with nothing registered.
    public init() {}

    // MARK: Registration

    /// Registers `module` as the child `name`, replacing a child of the same name in its place.
    /// `name` must be non-empty and contain no ".".
    public func addModule(_ name: String, _ module: Module) {
        precondition(Module.isValidName(name), "Module.addModule: invalid name '\(name)'")
        ModuleRegistrationGeneration.advance()
        if let index = childEntries.firstIndex(where: { $0.name == name }) {
            childEntries[index].module = module
        } else {
            childEntries.append((name, module))
        }
    }

    /// Registers `tensor` as the trainable parameter `name` (it becomes a leaf that requires a gradient).
    public func registerParameter(_ name: String, _ tensor: Tensor) {
        registerParameter(name, ParameterSlot(tensor, name: name, owner: summary))
    }

    /// Registers a parameter slot (possibly uninitialised) as `name`, replacing one of the same name in its place.
    public func registerParameter(_ name: String, _ slot: ParameterSlot) {
        precondition(Module.isValidName(name), "Module.registerParameter: invalid name '\(name)'")
        ModuleRegistrationGeneration.advance()
        if let index = parameterEntries.firstIndex(where: { $0.name == name }) {
            parameterEntries[index].slot = slot
        } else {
            parameterEntries.append((name, slot))
        }
    }

    /// Registers `tensor` as the buffer `name`: saved in the state dict, never trained.
    public func registerBuffer(_ name: String, _ tensor: Tensor) {
        precondition(Module.isValidName(name), "Module.registerBuffer: invalid name '\(name)'")
        if let index = bufferEntries.firstIndex(where: { $0.name == name }) {
            bufferEntries[index].tensor = tensor
        } else {
            bufferEntries.append((name, tensor))
        }
    }

    /// True for a name a module can register: non-empty, without ".".
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(".")
    }

    /// Throws a clear error unless `name` is a valid child or parameter name; for names that come from users.
    public static func validateName(_ name: String, in context: String) throws {
        guard isValidName(name) else {
            throw ModuleError(.invalidArgument, "\(context): invalid name '\(name)': names are non-empty and contain no '.'")
        }
    }

    // MARK: Direct members

    /// The child registered as `name`, or nil.
    public func child(_ name: String) -> Module? {
        childEntries.first { $0.name == name }?.module
    }

    /// The parameter slot registered as `name` directly on this module, or nil.
    public func parameterSlot(_ name: String) -> ParameterSlot? {
        parameterEntries.first { $0.name == name }?.slot
    }

    /// The parameter `name` of this module (e.g. `try net[2].parameter("bias").grad`); throws if there is no such
    /// parameter or it is not initialised yet.
    public func parameter(_ name: String) throws -> Tensor {
        guard let slot = parameterSlot(name) else {
            throw ModuleError(.notFound, "\(summary): no parameter named '\(name)'")
        }
        return try slot.tensor()
    }

    /// The buffer `name` of this module, or nil.
    public func buffer(_ name: String) -> Tensor? {
        bufferEntries.first { $0.name == name }?.tensor
    }

    /// Every registered child under every name, in registration order (a shared instance once per name).
    public var childrenWithAllNames: [(name: String, module: Module)] { childEntries }

    /// The name this module first registered `child` under, or nil if it is not a direct child.
    public func nameOfChild(_ child: Module) -> String? {
        childEntries.first { $0.module === child }?.name
    }

    // MARK: Tree walks (PyTorch's order)

    /// The direct children, each instance once, in registration order.
    public func children() -> [Module] {
        namedChildren().map(\.module)
    }

    /// The direct children with their names, each instance once under its first name.
    public func namedChildren() -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        return childEntries.filter { seen.insert(ObjectIdentifier($0.module)).inserted }
    }

    /// This module and every descendant, each instance once, in PyTorch's pre-order.
    public func modules() -> [Module] {
        namedModules().map(\.module)
    }

    /// This module (named "") and every descendant with its dotted path, each instance once under its first
    /// path, in PyTorch's pre-order. Iterative, so deep trees cannot overflow the stack.
    public func namedModules() -> [(name: String, module: Module)] {
        var result: [(name: String, module: Module)] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(String, Module)] = [("", self)]
        while let (path, module) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(module)).inserted else { continue }
            result.append((path, module))
            for (name, child) in module.childEntries.reversed() {
                stack.append((ModulePath.join(path, name), child))
            }
        }
        return result
    }

    /// Every parameter slot of the tree, each once (see `namedParameters()`).
    public func parameters() -> [ParameterSlot] {
        let generation = ModuleRegistrationGeneration.current
        if let parameterCache, parameterCache.generation == generation { return parameterCache.slots }
        let slots = namedParameters().map(\.slot)
        parameterCache = (generation, slots)
        return slots
    }

    /// Every parameter of the tree with its dotted name, each once under its first name, exactly like PyTorch's
    /// `named_parameters()`. Lazy parameters are listed too, uninitialised.
    public func namedParameters() -> [NamedParameter] {
        var seen = Set<ObjectIdentifier>()
        var result: [NamedParameter] = []
        for (path, module) in namedModules() {
            for (name, slot) in module.parameterEntries where seen.insert(slot.identity).inserted {
                result.append(NamedParameter(name: ModulePath.join(path, name), slot: slot))
            }
        }
        return result
    }

    /// Every buffer of the tree, each once.
    public func buffers() -> [Tensor] {
        namedBuffers().map(\.tensor)
    }

    /// Every buffer of the tree with its dotted name, each once under its first name.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, tensor: Tensor)] = []
        for (path, module) in namedModules() {
            for (name, tensor) in module.bufferEntries where seen.insert(ObjectIdentifier(tensor)).inserted {
                result.append((ModulePath.join(path, name), tensor))
            }
        }
        return result
    }

    /// The module at a dotted path (`"0.net.2"`; "" is this module), or nil.
    public func module(at path: String) -> Module? {
        guard !path.isEmpty else { return self }
        var current: Module = self
        for part in ModulePath.segments(path) {
            guard let next = current.child(String(part)) else { return nil }
            current = next
        }
        return current
    }

    // MARK: Modes and bulk actions

    /// Clears the gradient of every parameter (back to nil, as before the first backward).
    public func zeroGrad() {
        for slot in parameters() {
            slot.tensorIfInitialised?.zeroGrad()
        }
    }

    /// Sets training mode on this module and every descendant; returns self for chaining.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for module in modules() {
            module.isTraining = mode
        }
        return self
    }

    /// Sets evaluation mode (dropout off) on this module and every descendant; returns self for chaining.
    @discardableResult
    public func eval() -> Self {
        train(false)
    }

    /// Calls `body` on every descendant and then on this module, in PyTorch's order (each child's subtree first,
    /// then the parent; a child shared by two parents is visited under each); used for initialisation
    /// (`try net.apply(Init.linear(weight: .normal(std: 0.01), bias: .zeros))`).
    public func apply(_ body: (Module) throws -> Void) rethrows {
        // Iterative post-order: a module is visited after all of its (de-duplicated) children.
        var stack: [(module: Module, childrenDone: Bool)] = [(self, false)]
        while let (module, childrenDone) = stack.popLast() {
            if childrenDone {
                try body(module)
            } else {
                stack.append((module, true))
                for child in module.children().reversed() {
                    stack.append((child, false))
                }
            }
        }
    }

    // MARK: Computing

    /// The computation of this module. Call the module (`try module(x)`), not this method, so that ops are
    /// attributed to the module's path and the call is recorded.
    open func forward(_ x: Tensor) throws -> Tensor {
        throw ModuleError(.invalidArgument, "\(typeName): forward is not implemented")
    }

    // MARK: Names for people

    /// The type's name as PyTorch prints it (`Linear`).
    open var typeName: String {
        reflectedTypeName
    }

    /// A short one-line summary for trees (`Linear(8 → 8)`); defaults to the type name.
    open var summary: String {
        typeName
    }

    /// The text inside the parentheses of PyTorch's repr (`in_features=20, out_features=256, bias=True`).
    open var extraDescription: String {
        ""
    }
}

/// A parameter of a module tree with its dotted name.
public struct NamedParameter {
    /// The dotted name (`0.net.0.weight`), as PyTorch's `named_parameters()` gives it.
    public let name: String
    /// The slot holding the tensor or, for a lazy parameter, its partial shape.
    public let slot: ParameterSlot

    /// The tensor, nil while the parameter is not initialised.
    public var tensor: Tensor? { slot.tensorIfInitialised }
}
