import NNCore
import Synchronization

/// Constructs modules by type name from positional and keyword arguments: how the spec language builds
/// `Linear(4, 8, bias=false)`. Every layer of this library and the book's networks are registered by their
/// `LayerDescription` (`builtinDescriptions`); a Swift user adds their own with `register(_:)`, or with a bare
/// factory (`register(_:factory:)`), which the spec language's budget then cannot see into.
public final class ModuleRegistry: Sendable {
    /// Builds a module from a call's arguments, throwing a clear error for wrong ones.
    public typealias Factory = @Sendable (ModuleArguments) throws -> Module

    private enum Entry: Sendable {
        case described(any LayerDescription)
        case factory(Factory)
    }

    private let entries: Mutex<[String: Entry]>

    /// The process-wide registry the spec language uses, with every built-in type.
    public static let shared = ModuleRegistry()

    /// A registry with the built-in types (or empty).
    public init(includingBuiltins: Bool = true) {
        var entries: [String: Entry] = [:]
        if includingBuiltins {
            for description in ModuleRegistry.builtinDescriptions { entries[description.name] = .described(description) }
        }
        self.entries = Mutex(entries)
    }

    /// Registers (or replaces) the layer `description` under its name.
    public func register(_ description: some LayerDescription) {
        entries.withLock { $0[description.name] = .described(description) }
    }

    /// Registers (or replaces) a bare factory for `name`: it builds modules, but nothing is known about their
    /// parameters or activations before they exist.
    public func register(_ name: String, factory: @escaping Factory) {
        entries.withLock { $0[name] = .factory(factory) }
    }

    /// Whether `name` is registered.
    public func contains(_ name: String) -> Bool {
        entries.withLock { $0[name] != nil }
    }

    /// Every registered name, sorted.
    public var names: [String] {
        entries.withLock { $0.keys.sorted() }
    }

    /// The description registered for `name` (nil for an unknown name or a bare factory).
    public func description(of name: String) -> (any LayerDescription)? {
        guard case .described(let description)? = entries.withLock({ $0[name] }) else { return nil }
        return description
    }

    /// Binds `arguments` for a `name` module and reads them, without building anything yet: what it will hold
    /// can be checked before it is allocated. Throws for an unknown name or wrong arguments.
    public func prepare(_ name: String, _ arguments: ModuleArguments = ModuleArguments()) throws -> PreparedLayer {
        guard let entry = entries.withLock({ $0[name] }) else {
            throw ModuleError(.notFound, "unknown module type '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        switch entry {
        case .described(let description): return try PreparedLayer(description, arguments)
        case .factory(let factory): return PreparedLayer(name: name, factory: factory, arguments: arguments)
        }
    }

    /// Builds a `name` module from `arguments`; throws for an unknown name or wrong arguments.
    public func make(_ name: String, _ arguments: ModuleArguments = ModuleArguments()) throws -> Module {
        try prepare(name, arguments).make()
    }

    /// Every built-in layer type. A new layer is its file (the module and its `LayerDescription`) and one line
    /// here; `LayerDescriptionTests` builds and runs every one of them.
    public static let builtinDescriptions: [any LayerDescription] = [
        LinearDescription(), LazyLinearDescription(), EmbeddingDescription(), LayerNormDescription(),
        Conv2dDescription(), BatchNormDescription.batchNorm1d, BatchNormDescription.batchNorm2d, MaxPool2dDescription(),
        AvgPool2dDescription(), AdaptiveAvgPool2dDescription(), FlattenDescription(), DropoutDescription(),
        SoftmaxDescription(), GELUDescription(),
        ShapePreservingLayer("ReLU", takesInplace: true) { ReLU() },
        ShapePreservingLayer("ReLU6", takesInplace: true) { ReLU6() },
        ShapePreservingLayer("Hardswish", takesInplace: true) { Hardswish() },
        ShapePreservingLayer("Hardsigmoid", takesInplace: true) { Hardsigmoid() },
        ShapePreservingLayer("SiLU", takesInplace: true) { SiLU() },
        ShapePreservingLayer("Sigmoid", takesInplace: false) { Sigmoid() },
        ShapePreservingLayer("Tanh", takesInplace: false) { Tanh() },
        ShapePreservingLayer("Identity", takesInplace: false) { Identity() },
        SequentialDescription(), MySequentialDescription(),
        // The book's networks.
        MLPDescription(), FixedHiddenMLPDescription(), NestMLPDescription(), CenteredLayerDescription(),
        MyLinearDescription(),
    ]

    /// A container's child, or an error naming the container.
    static func moduleValue(_ value: ModuleArgument, in layer: String) throws -> Module {
        guard case .module(let module) = value else {
            throw ModuleError(.invalidArgument, "\(layer): expected a module, got \(value.kindName) \(value)")
        }
        return module
    }
}

/// A layer's call, bound and read but not built yet: what it will hold, and how to build it.
public struct PreparedLayer {
    /// The type name.
    public let name: String
    /// The layer as its call reads (`Conv2d(3, 8, kernel_size=(3, 3))`), for messages.
    public let label: String
    /// The parameters and buffers it will hold; nil for a bare factory's module, which nothing describes.
    public let tensors: [LayerTensor]?
    private let build: () throws -> Module

    init<Description: LayerDescription>(_ description: Description, _ arguments: ModuleArguments) throws {
        let binder = try ArgumentBinder(arguments, layer: description.name, declared: description.arguments)
        let configuration = try description.configuration(binder)
        name = description.name
        label = configuration.description
        tensors = description.tensors(configuration)
        build = {
            let module = try description.make(configuration)
            module.describedActivation = { input, walk in try description.activation(configuration, input: input, walk: walk) }
            return module
        }
    }

    init(name: String, factory: @escaping ModuleRegistry.Factory, arguments: ModuleArguments) {
        self.name = name
        label = name
        tensors = nil
        build = { try factory(arguments) }
    }

    /// Builds the module (a module made from a description can then be followed by `ActivationWalk`).
    public func make() throws -> Module { try build() }
}
