import NNCore

/// Runs its children in order, each on the previous one's output (PyTorch's `nn.Sequential`). Children are named
/// "0", "1", … or given names; one instance may sit at several positions (the book's tied network), and each
/// call is attributed to the position it is made from.
public final class Sequential: Module {
    /// Children named "0", "1", … in order.
    public init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() {
            addModule(String(index), module)
        }
    }

    /// Children named "0", "1", … in order.
    public convenience init(_ modules: Module...) {
        self.init(modules)
    }

    /// Children with the given names, in order (PyTorch's `Sequential(OrderedDict(...))`); throws for an
    /// invalid or repeated name.
    public init(named modules: [(String, Module)]) throws {
        super.init()
        var seen = Set<String>()
        for (name, module) in modules {
            try Module.validateName(name, in: "Sequential")
            guard seen.insert(name).inserted else {
                throw ModuleError(.invalidArgument, "Sequential: the name '\(name)' is used twice")
            }
            addModule(name, module)
        }
    }

    /// The number of positions (a shared instance counts at each of its positions).
    public var count: Int { childrenWithAllNames.count }

    /// The module at `index` (negative counts from the end, as in Python); throws when out of range.
    public subscript(index: Int) -> Module {
        get throws {
            let entries = childrenWithAllNames
            let resolved = index < 0 ? index + entries.count : index
            guard resolved >= 0 && resolved < entries.count else {
                throw ModuleError(.notFound, "Sequential: index \(index) is out of range for \(entries.count) modules")
            }
            return entries[resolved].module
        }
    }

    /// Appends `module` under the next free index name.
    public func append(_ module: Module) {
        var index = count
        while child(String(index)) != nil { index += 1 }
        addModule(String(index), module)
    }

    /// Each child on the previous one's output, each call attributed to its own position's name.
    public override func forward(_ x: Tensor) throws -> Tensor {
        var output = x
        for (name, module) in childrenWithAllNames {
            output = try module.call(output, as: name)
        }
        return output
    }
}

/// `Sequential(*modules)` or `Sequential(name=module, …)`: holds only its children's tensors (counted when they
/// were made); each child runs on the previous one's output.
public struct SequentialDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let children: [(name: String?, module: Module)]
        public var description: String { "Sequential(\(children.count) modules)" }
    }

    public init() {}
    public var name: String { "Sequential" }
    public var arguments: [LayerArgument] { [.modules] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        let given = arguments.arguments
        if !given.keyword.isEmpty {
            guard given.positional.isEmpty else {
                throw ModuleError(.invalidArgument, "Sequential: give modules either all by position or all by name, not both")
            }
            return Configuration(children: try given.keyword.map { ($0.name, try ModuleRegistry.moduleValue($0.value, in: "Sequential")) })
        }
        return Configuration(children: try given.positional.map { (nil, try ModuleRegistry.moduleValue($0, in: "Sequential")) })
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try c.children.reduce(input) { shape, child in try walk.output(of: child.module, input: shape) })
    }

    public func make(_ c: Configuration) throws -> Module {
        if c.children.first?.name != nil { return try Sequential(named: c.children.map { ($0.name ?? "", $0.module) }) }
        return Sequential(c.children.map(\.module))
    }

    public func examples() throws -> [LayerExample] {
        let registry = ModuleRegistry.shared
        let linear = try registry.make("Linear", ModuleArguments([.int(4), .int(4)]))
        return [LayerExample(ModuleArguments([.module(try registry.make("Linear", ModuleArguments([.int(4), .int(3)]))),
                                              .module(try registry.make("ReLU")),
                                              .module(try registry.make("Linear", ModuleArguments([.int(3), .int(2)])))]),
                             inputShape: [2, 4]),
                // One instance at two positions (a tied layer) runs twice.
                LayerExample(ModuleArguments(keyword: [("a", .module(linear)), ("act", .module(try registry.make("Tanh"))),
                                                       ("b", .module(linear))]), inputShape: [3, 4])]
    }
}
