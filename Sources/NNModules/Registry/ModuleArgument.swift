/// One argument value of a module constructor call from the spec language or a Swift caller.
public enum ModuleArgument: CustomStringConvertible {
    /// An integer (`8`).
    case int(Int)
    /// A floating-point number (`0.5`).
    case float(Double)
    /// A boolean (`false`).
    case bool(Bool)
    /// A string (`"tanh"`).
    case string(String)
    /// A module (`LazyLinear(8)` or a name bound to one).
    case module(Module)
    /// A list (`[2, 3]`).
    case list([ModuleArgument])
    /// PyTorch's `None` (`momentum=None`): the default, unless the layer gives `None` a meaning of its own.
    case none

    /// What kind of value this is, for error messages.
    public var kindName: String {
        switch self {
        case .int: "an integer"
        case .float: "a number"
        case .bool: "a boolean"
        case .string: "a string"
        case .module: "a module"
        case .list: "a list"
        case .none: "None"
        }
    }

    /// The value as written in a spec.
    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .float(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .string(let value): "\"\(value)\""
        case .module(let module): module.summary
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .none: "None"
        }
    }
}

/// The positional and keyword arguments of one constructor call, in the order written.
public struct ModuleArguments {
    /// Arguments without names, in order.
    public var positional: [ModuleArgument]
    /// Arguments with names, in order.
    public var keyword: [(name: String, value: ModuleArgument)]

    /// Creates an argument list.
    public init(_ positional: [ModuleArgument] = [], keyword: [(name: String, value: ModuleArgument)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    /// True when there are no arguments.
    public var isEmpty: Bool { positional.isEmpty && keyword.isEmpty }
}
