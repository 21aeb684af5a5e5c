/// Binds a call's arguments to a constructor's parameter names, like Python: positional ones in order, then
/// keywords; an unknown keyword, a repeated parameter or too many positional arguments is an error naming the
/// layer. Keyword names match ignoring case and underscores (`in_features` = `inFeatures`).
public struct ArgumentBinder {
    /// The layer being built, for messages.
    public let layer: String
    private let parameterNames: [String]
    private var values: [String: ModuleArgument] = [:]
    /// The arguments as given (a container's children, for descriptions declaring `LayerArgument.modules`).
    public private(set) var arguments = ModuleArguments()

    /// Binds `arguments` to `parameters` (names in positional order) for `layer`; an explicit `None` means the
    /// argument was not given.
    public init(_ arguments: ModuleArguments, layer: String, parameters: [String]) throws {
        try self.init(binding: arguments, layer: layer, parameters: parameters)
        values = values.filter { if case .none = $0.value { return false } else { return true } }
    }

    /// Binds `arguments` to a description's `declared` arguments for `layer` and fills in PyTorch's defaults. An
    /// explicit `None` is kept only where the argument gives it a meaning (`noneIsAValue`); elsewhere it means
    /// the default.
    public init(_ arguments: ModuleArguments, layer: String, declared: [LayerArgument]) throws {
        if declared.count == 1, declared[0].name == LayerArgument.modules.name {
            // A container's children: read as they are by its description.
            try self.init(binding: ModuleArguments(), layer: layer, parameters: [])
            self.arguments = arguments
            return
        }
        try self.init(binding: arguments, layer: layer, parameters: declared.map(\.name))
        for argument in declared {
            if case .none? = values[argument.name], !argument.noneIsAValue { values[argument.name] = nil }
            if values[argument.name] == nil, case .value(let value) = argument.defaultValue {
                values[argument.name] = value
            }
        }
    }

    private init(binding arguments: ModuleArguments, layer: String, parameters: [String]) throws {
        self.layer = layer
        self.parameterNames = parameters
        guard arguments.positional.count <= parameters.count else {
            throw ModuleError(.invalidArgument,
                              "\(layer): takes at most \(parameters.count) positional arguments (\(parameters.joined(separator: ", "))), got \(arguments.positional.count)")
        }
        for (name, value) in zip(parameters, arguments.positional) {
            values[name] = value
        }
        for (given, value) in arguments.keyword {
            guard let name = parameters.first(where: { ArgumentBinder.normalise($0) == ArgumentBinder.normalise(given) }) else {
                let expected = parameters.isEmpty ? "it takes no arguments" : "expected one of: \(parameters.joined(separator: ", "))"
                throw ModuleError(.invalidArgument, "\(layer): unknown argument '\(given)' (\(expected))")
            }
            guard values[name] == nil else {
                throw ModuleError(.invalidArgument, "\(layer): argument '\(name)' given twice")
            }
            values[name] = value
        }
    }

    /// Whether `name` was given (or has a default), and not as `None`.
    public func has(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        if case .none = value { return false }
        return true
    }

    /// Whether `name` was given as an explicit `None`.
    public func isNone(_ name: String) -> Bool {
        if case .none? = values[name] { return true }
        return false
    }

    /// A number (integers accepted), nil when absent or `None`.
    public func optionalFloat(_ name: String) throws -> Double? {
        has(name) ? try float(name, default: 0) : nil
    }

    /// An integer, nil when absent or `None`.
    public func optionalInt(_ name: String) throws -> Int? {
        has(name) ? try int(name) : nil
    }

    /// A pair, nil when absent or `None`.
    public func optionalPair(_ name: String) throws -> (Int, Int)? {
        has(name) ? try pair(name) : nil
    }

    /// A required integer.
    public func int(_ name: String) throws -> Int {
        let value = try required(name)
        guard case .int(let int) = value else { throw wrongKind(name, value, "an integer") }
        return int
    }

    /// An optional integer with a default.
    public func int(_ name: String, default fallback: Int) throws -> Int {
        has(name) ? try int(name) : fallback
    }

    /// A required non-negative integer (a size).
    public func size(_ name: String) throws -> Int {
        let value = try int(name)
        guard value >= 0 else {
            throw ModuleError(.invalidArgument, "\(layer): argument '\(name)' must be non-negative, got \(value)")
        }
        return value
    }

    /// An optional number (integers accepted) with a default.
    public func float(_ name: String, default fallback: Double) throws -> Double {
        guard let value = values[name] else { return fallback }
        switch value {
        case .float(let number): return number
        case .int(let int): return Double(int)
        default: throw wrongKind(name, value, "a number")
        }
    }

    /// An optional boolean with a default.
    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let value = values[name] else { return fallback }
        guard case .bool(let bool) = value else { throw wrongKind(name, value, "a boolean") }
        return bool
    }

    /// An optional string with a default.
    public func string(_ name: String, default fallback: String) throws -> String {
        guard let value = values[name] else { return fallback }
        guard case .string(let string) = value else { throw wrongKind(name, value, "a string") }
        return string
    }

    /// A required shape: one integer or a list of integers.
    public func shape(_ name: String) throws -> [Int] {
        let value = try required(name)
        switch value {
        case .int(let int): return [int]
        case .list(let items):
            return try items.map { item in
                guard case .int(let int) = item else { throw wrongKind(name, value, "a list of integers") }
                return int
            }
        default: throw wrongKind(name, value, "an integer or a list of integers")
        }
    }

    /// An optional pair of integers (PyTorch's `_pair`): one integer for both, or a list of two; `fallback` when
    /// not given.
    public func pair(_ name: String, default fallback: (Int, Int)) throws -> (Int, Int) {
        guard has(name) else { return fallback }
        return try pair(name)
    }

    /// A required pair of integers: one integer for both, or a list of two.
    public func pair(_ name: String) throws -> (Int, Int) {
        let value = try required(name)
        switch value {
        case .int(let int): return (int, int)
        case .list(let items) where items.count == 2:
            guard case .int(let first) = items[0], case .int(let second) = items[1] else {
                throw wrongKind(name, value, "an integer or a list of two integers")
            }
            return (first, second)
        default: throw wrongKind(name, value, "an integer or a list of two integers")
        }
    }

    /// The raw value of `name`, nil when not given (for arguments of several kinds, like Conv2d's padding).
    public func value(_ name: String) -> ModuleArgument? { values[name] }

    private func required(_ name: String) throws -> ModuleArgument {
        guard let value = values[name] else {
            throw ModuleError(.invalidArgument, "\(layer): missing argument '\(name)'")
        }
        return value
    }

    private func wrongKind(_ name: String, _ value: ModuleArgument, _ expected: String) -> ModuleError {
        ModuleError(.invalidArgument, "\(layer): argument '\(name)' must be \(expected), got \(value.kindName) \(value)")
    }

    static func normalise(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" })
    }
}
