import NNCore
import NNModules

/// Calls that make modules: arguments are evaluated, the registry binds them to the layer's description, the
/// parameters and buffers it describes are checked against the budget, and then the layer is built.
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
            // `dim=None` and the like spell out PyTorch's default (the layer's description says where None means
            // something else, as BatchNorm's momentum=None).
            if case .name("None", _) = argument.value {
                arguments.keyword.append((argument.name, .none))
                continue
            }
            arguments.keyword.append((argument.name, try moduleArgument(argument.value, of: name)))
        }
        let layer: PreparedLayer
        do {
            layer = try registry.prepare(name, arguments)
        } catch {
            throw self.error(SpecBuilder.reason(error), at: location)
        }
        try reserveTensors(of: layer, at: location)
        do {
            let module = try layer.make()
            if moduleLabels[ObjectIdentifier(module)] == nil { moduleLabels[ObjectIdentifier(module)] = layer.label }
            return module
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

    /// The parameters and buffers a layer's description says it will hold, counted against the budget before
    /// they are allocated. A size only the first input tells (a lazy layer's input width) is bounded at the dry
    /// forward; a bare factory's module (a Swift user's own registration) is unknown to the budget.
    private func reserveTensors(of layer: PreparedLayer, at location: SpecLocation) throws(SpecError) {
        var total = 0
        for tensor in layer.tensors ?? [] {
            let known = try elementCount(of: tensor.shape.dimensions.compactMap { $0 }, what: layer.label, at: location)
            if tensor.shape.isComplete {
                let (sum, overflow) = total.addingReportingOverflow(known)
                guard !overflow else {
                    throw error("\(layer.label) is too large: more elements than can be counted; the limit is "
                                + "\(limits.maxElements) elements", at: location)
                }
                total = sum
            } else {
                lazyTensors.append(LazyTensorBound(knownElements: known, label: layer.label, location: location))
            }
        }
        try reserve(total, what: layer.label, at: location)
    }
}

/// A parameter some of whose sizes only the first input tells: the product of the sizes known, bounded at the dry
/// forward with the widest input the spec can make.
struct LazyTensorBound {
    let knownElements: Int
    let label: String
    let location: SpecLocation
}
