/// The networks of the book's Builder's Guide chapter, built as the book builds them, so parameter names equal
/// PyTorch's state-dict keys.
public enum BookNetworks {
    /// `Sequential(LazyLinear(256), ReLU(), LazyLinear(10))` (6.1's first cell).
    public static func sequential() -> Sequential {
        Sequential(LazyLinear(256), ReLU(), LazyLinear(10))
    }

    /// The book's `MLP` with `hidden` and `out`.
    public static func mlp() -> MLP {
        MLP()
    }

    /// The book's `NestMLP`.
    public static func nest() -> NestMLP {
        NestMLP()
    }

    /// The chimera `Sequential(NestMLP(), LazyLinear(20), FixedHiddenMLP())`; its output is a scalar.
    public static func chimera() -> Sequential {
        Sequential(NestMLP(), LazyLinear(20), FixedHiddenMLP())
    }

    /// The tied network (6.2): `shared = LazyLinear(8)` at positions 2 and 4 of
    /// `Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))`.
    public static func tied() -> Sequential {
        let shared = LazyLinear(8)
        return Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
    }
}
