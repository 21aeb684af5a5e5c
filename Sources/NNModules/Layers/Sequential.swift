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
