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
        case "Conv2d":
            guard let binder = bound(ModuleRegistry.conv2dParameters),
                  let inputs = try? binder.size("in_channels"), let outputs = try? binder.size("out_channels"),
                  let kernel = try? binder.pair("kernel_size"), kernel.0 >= 0, kernel.1 >= 0,
                  let groups = try? binder.int("groups", default: 1), groups > 0
            else { return }
            let what = "\(layer)(\(inputs), \(outputs), kernel_size=\(kernel))"
            // weight [out, in/groups, kH, kW] and bias [out]; its activations are checked at the dry forward.
            let patch = try elementCount(of: [inputs / groups, kernel.0, kernel.1], what: what, at: location)
            try reserveElements(for: [Swift.min(patch, Int.max - 1) + 1, outputs], what: what, at: location)
            let padding = (try? ModuleRegistry.conv2dPadding(binder)).map(SpecBuilder.growth) ?? 0
            windowLayers.append(WindowLayerBound(channels: outputs, patch: patch, growth: padding, fixedSide: 0,
                                                 location: location, what: what))
        case "BatchNorm2d":
            guard let binder = bound(ModuleRegistry.batchNorm2dParameters), let count = try? binder.size("num_features")
            else { return }
            // weight, bias, running_mean, running_var and num_batches_tracked
            try reserveElements(for: [4, count], what: "\(layer)(\(count))", at: location)
            try reserve(1, what: "\(layer)(\(count))", at: location)
            windowLayers.append(WindowLayerBound(channels: count, patch: 0, growth: 0, fixedSide: 0, location: location,
                                                 what: "\(layer)(\(count))"))
        case "MaxPool2d", "AvgPool2d":
            let parameters = layer == "MaxPool2d" ? ModuleRegistry.maxPool2dParameters : ModuleRegistry.avgPool2dParameters
            guard let binder = bound(parameters), let padding = try? binder.pair("padding", default: (0, 0)) else { return }
            windowLayers.append(WindowLayerBound(channels: 0, patch: 0, growth: 2 * Swift.max(padding.0, padding.1, 0),
                                                 fixedSide: 0, location: location, what: layer))
        case "AdaptiveAvgPool2d":
            guard let binder = bound(["output_size"]), let size = try? binder.pair("output_size") else { return }
            windowLayers.append(WindowLayerBound(channels: 0, patch: 0, growth: 0, fixedSide: Swift.max(size.0, size.1, 0),
                                                 location: location, what: "\(layer)(\(size))"))
        default:
            // `layersWithoutWeights` and `fixedSizeNetworks` need nothing here; a Swift user's own registration is
            // unknown to the budget.
            // Every built-in layer is in `budgetedLayers` (SpecBudgetTests checks that).
            return
        }
    }

    /// Built-in layers that hold no parameters or buffers of their own (containers hold children, reserved when
    /// they were made) and keep or shrink their input, so the budget needs nothing from them beyond the generic
    /// activation check of the dry forward.
    static let layersWithoutWeights: Set<String> = [
        "ReLU", "Sigmoid", "Tanh", "Identity", "GELU", "Softmax", "Flatten", "Dropout", "ReLU6", "Hardswish",
        "Hardsigmoid", "SiLU", "Sequential", "MySequential", "CenteredLayer",
    ]

    /// The book's networks, whose sizes no argument changes (at most 256 wide, a few thousand parameters).
    static let fixedSizeNetworks: Set<String> = ["MLP", "FixedHiddenMLP", "NestMLP"]

    /// Every built-in layer the budget accounts for: those with a case above, and the two sets above.
    static let budgetedLayers: Set<String> = layersWithoutWeights.union(fixedSizeNetworks).union([
        "Linear", "LazyLinear", "MyLinear", "Embedding", "LayerNorm", "Conv2d", "BatchNorm2d", "MaxPool2d", "AvgPool2d",
        "AdaptiveAvgPool2d",
    ])

    /// How much a convolution's padding can grow each side of its input: all of it ('same' keeps the size).
    static func growth(_ padding: Conv2dPadding) -> Int {
        switch padding {
        case .explicit(let h, let w): return 2 * Swift.max(h, w, 0)
        case .same, .valid: return 0
        }
    }
}

/// What a layer over images (convolution, pooling, batch norm) can make per sample, known before any input:
/// `channels` output channels (0: as many as it is given), a `patch` of that many rows unfolded per output
/// position (a convolution's im2col buffer), a side that grows by at most `growth` (padding) or is `fixedSide`
/// (an adaptive pool's output).
struct WindowLayerBound {
    let channels: Int
    let patch: Int
    let growth: Int
    let fixedSide: Int
    let location: SpecLocation
    let what: String
}
