import NNCore
import NNModules

/// Calls that make modules: arguments are evaluated, sizes of the core's weight-holding layers are checked
/// against the budget, and the registry constructs the layer.
extension SpecBuilder {
    func makeModule(_ name: String, positional: [SpecExpression], keyword: [SpecKeywordArgument],
                    location: SpecLocation) throws(SpecError) -> Module {
        guard registry.contains(name) else {
            let known = registry.names + SpecBuilder.tensorMakers
            throw error("unknown layer '\(name)'" + SpecSuggestion.hint(for: name, among: known), at: location)
        }
        var arguments = ModuleArguments()
        for expression in positional {
            arguments.positional.append(try moduleArgument(expression, of: name))
        }
        for argument in keyword {
            // `dim=None` and the like spell out PyTorch's default: the same as leaving the argument out.
            if case .name("None", _) = argument.value { continue }
            arguments.keyword.append((argument.name, try moduleArgument(argument.value, of: name)))
        }
        try reserveParameters(of: name, arguments, at: location)
        do {
            return try registry.make(name, arguments)
        } catch {
            throw self.error(SpecBuilder.reason(error), at: location)
        }
    }

    private func moduleArgument(_ expression: SpecExpression, of callee: String) throws(SpecError) -> ModuleArgument {
        try moduleArgument(evaluate(expression), at: expression.location, of: callee)
    }

    private func moduleArgument(_ value: SpecValue, at location: SpecLocation,
                                of callee: String) throws(SpecError) -> ModuleArgument {
        switch value {
        case .module(let module): return .module(module)
        case .integer(let value): return .int(value)
        case .float(let value): return .float(value)
        case .bool(let value): return .bool(value)
        case .string(let value): return .string(value)
        case .list(let elements):
            var result: [ModuleArgument] = []
            for element in elements { result.append(try moduleArgument(element, at: location, of: callee)) }
            return .list(result)
        case .tensor, .word:
            throw error("\(callee) cannot take \(value.kindDescription) as an argument", at: location)
        }
    }

    /// Weight sizes of the core's layers that hold weights, checked before they are allocated. Arguments that
    /// don't bind are left for the registry to report in its own words, so each list here must name every
    /// parameter the registry's factory takes (a missing one would skip the check; ModelSpecTests guard this).
    private func reserveParameters(of layer: String, _ arguments: ModuleArguments,
                                   at location: SpecLocation) throws(SpecError) {
        func bound(_ parameters: [String]) -> ArgumentBinder? {
            try? ArgumentBinder(arguments, layer: layer, parameters: parameters)
        }
        switch layer {
        case "Linear":
            guard let binder = bound(["in_features", "out_features", "bias"]),
                  let inputs = try? binder.size("in_features"), let outputs = try? binder.size("out_features")
            else { return }
            try reserveElements(for: [Swift.min(inputs, Int.max - 1) + 1, outputs], what: "\(layer)(\(inputs), \(outputs))", at: location)
        case "MyLinear":
            guard let binder = bound(["in_units", "units"]),
                  let inputs = try? binder.size("in_units"), let outputs = try? binder.size("units")
            else { return }
            try reserveElements(for: [Swift.min(inputs, Int.max - 1) + 1, outputs], what: "\(layer)(\(inputs), \(outputs))", at: location)
        case "LazyLinear":
            guard let binder = bound(["out_features", "bias"]), let outputs = try? binder.size("out_features")
            else { return }
            lazyOutputWidths.append((outputs, location))
        case "Embedding":
            guard let binder = bound(["num_embeddings", "embedding_dim", "padding_idx"]),
                  let count = try? binder.size("num_embeddings"), let width = try? binder.size("embedding_dim")
            else { return }
            try reserveElements(for: [count, width], what: "\(layer)(\(count), \(width))", at: location)
        case "LayerNorm":
            guard let binder = bound(["normalized_shape", "eps", "elementwise_affine", "bias"]),
                  let shape = try? binder.shape("normalized_shape"), shape.allSatisfy({ $0 >= 0 })
            else { return }
            try reserveElements(for: [2] + shape, what: "\(layer)(\(shape))", at: location)
        default:
            return
        }
    }
}
