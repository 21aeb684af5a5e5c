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
