import NNCore

/// The book's hand-written Sequential (6.1): children added under "0", "1", …; forward runs `children()` in order.
public final class MySequential: Module {
    /// Adds each module under its index.
    public init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() {
            addModule(String(index), module)
        }
    }

    /// Adds each module under its index.
    public convenience init(_ modules: Module...) {
        self.init(modules)
    }

    /// Each child in turn, as the book's `for module in self.children(): X = module(X)`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        var output = x
        for module in children() {
            output = try module(output)
        }
        return output
    }
}

/// The book's `MySequential(*modules)`: its children by position, each instance run once.
public struct MySequentialDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let children: [Module]
        public var description: String { "MySequential(\(children.count) modules)" }
    }

    public init() {}
    public var name: String { "MySequential" }
    public var arguments: [LayerArgument] { [.modules] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        guard arguments.arguments.keyword.isEmpty else {
            throw ModuleError(.invalidArgument, "MySequential: takes modules by position only")
        }
        return Configuration(children: try arguments.arguments.positional.map { try ModuleRegistry.moduleValue($0, in: "MySequential") })
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        // `children()`: an instance given twice runs once, as the book's `_modules.values()` of a dict.
        var seen = Set<ObjectIdentifier>()
        let once = c.children.filter { seen.insert(ObjectIdentifier($0)).inserted }
        return LayerActivation(output: try once.reduce(input) { shape, child in try walk.output(of: child, input: shape) })
    }

    public func make(_ c: Configuration) throws -> Module { MySequential(c.children) }

    public func examples() throws -> [LayerExample] {
        let registry = ModuleRegistry.shared
        return [LayerExample(ModuleArguments([.module(try registry.make("Linear", ModuleArguments([.int(5), .int(3)]))),
                                              .module(try registry.make("ReLU"))]), inputShape: [2, 5])]
    }
}
