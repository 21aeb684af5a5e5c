import NNCore
import Synchronization

/// Constructs modules by type name from positional and keyword arguments: how the spec language builds
/// `Linear(4, 8, bias=false)`. Every layer of this library and the book's networks are registered; a Swift user
/// adds their own types with `register(_:factory:)`.
public final class ModuleRegistry: Sendable {
    /// Builds a module from a call's arguments, throwing a clear error for wrong ones.
    public typealias Factory = @Sendable (ModuleArguments) throws -> Module

    private let factories: Mutex<[String: Factory]>

    /// The process-wide registry the spec language uses, with every built-in type.
    public static let shared = ModuleRegistry()

    /// A registry with the built-in types (or empty).
    public init(includingBuiltins: Bool = true) {
        factories = Mutex(includingBuiltins ? ModuleRegistry.builtins : [:])
    }

    /// Registers (or replaces) the factory for `name`.
    public func register(_ name: String, factory: @escaping Factory) {
        factories.withLock { $0[name] = factory }
    }

    /// Whether `name` is registered.
    public func contains(_ name: String) -> Bool {
        factories.withLock { $0[name] != nil }
    }

    /// Every registered name, sorted.
    public var names: [String] {
        factories.withLock { $0.keys.sorted() }
    }

    /// Builds a `name` module from `arguments`; throws for an unknown name or wrong arguments.
    public func make(_ name: String, _ arguments: ModuleArguments = ModuleArguments()) throws -> Module {
        guard let factory = factories.withLock({ $0[name] }) else {
            throw ModuleError(.notFound, "unknown module type '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        return try factory(arguments)
    }

    // MARK: Built-in types

    private static let builtins: [String: Factory] = [
        "Linear": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Linear", parameters: ["in_features", "out_features", "bias"])
            return Linear(try bind.size("in_features"), try bind.size("out_features"), bias: try bind.bool("bias", default: true))
        },
        "LazyLinear": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "LazyLinear", parameters: ["out_features", "bias"])
            return LazyLinear(try bind.size("out_features"), bias: try bind.bool("bias", default: true))
        },
        "ReLU": { arguments in
            // `inplace` only saves memory in PyTorch; the values and gradients are the same either way.
            let bind = try ArgumentBinder(arguments, layer: "ReLU", parameters: ["inplace"])
            _ = try bind.bool("inplace", default: false)
            return ReLU()
        },
        "Sigmoid": noArguments("Sigmoid") { Sigmoid() },
        "Tanh": noArguments("Tanh") { Tanh() },
        "Identity": noArguments("Identity") { Identity() },
        "GELU": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "GELU", parameters: ["approximate"])
            switch try bind.string("approximate", default: "none") {
            case "none": return GELU(approximate: .none)
            case "tanh": return GELU(approximate: .tanh)
            case let other:
                throw ModuleError(.invalidArgument, "GELU: approximate must be \"none\" or \"tanh\", got \"\(other)\"")
            }
        },
        "Softmax": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Softmax", parameters: ["dim"])
            // Without dim, PyTorch picks one per input; the spec language computes what PyTorch computes.
            return bind.has("dim") ? Softmax(dim: try bind.int("dim")) : Softmax(implicitDim: ())
        },
        "Flatten": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Flatten", parameters: ["start_dim", "end_dim"])
            return Flatten(startDim: try bind.int("start_dim", default: 1), endDim: try bind.int("end_dim", default: -1))
        },
        "Dropout": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Dropout", parameters: ["p", "inplace", "seed"])
            _ = try bind.bool("inplace", default: false)
            let seed = bind.has("seed") ? UInt64(clamping: try bind.size("seed")) : nil
            return try Dropout(p: Float(try bind.float("p", default: 0.5)), seed: seed)
        },
        "LayerNorm": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "LayerNorm",
                                          parameters: ["normalized_shape", "eps", "elementwise_affine", "bias"])
            return try LayerNorm(try bind.shape("normalized_shape"), eps: Float(try bind.float("eps", default: 1e-5)),
                                 elementwiseAffine: try bind.bool("elementwise_affine", default: true),
                                 bias: try bind.bool("bias", default: true))
        },
        "Embedding": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Embedding",
                                          parameters: ["num_embeddings", "embedding_dim", "padding_idx"])
            let paddingIndex = bind.has("padding_idx") ? try bind.int("padding_idx") : nil
            return try Embedding(try bind.size("num_embeddings"), try bind.size("embedding_dim"), paddingIndex: paddingIndex)
        },
        "Conv2d": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Conv2d", parameters: ModuleRegistry.conv2dParameters)
            return try Conv2d(try bind.size("in_channels"), try bind.size("out_channels"),
                              kernelSize: try bind.pair("kernel_size"), stride: try bind.pair("stride", default: (1, 1)),
                              padding: try conv2dPadding(bind), dilation: try bind.pair("dilation", default: (1, 1)),
                              groups: try bind.int("groups", default: 1), bias: try bind.bool("bias", default: true))
        },
        "BatchNorm2d": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "BatchNorm2d", parameters: ModuleRegistry.batchNorm2dParameters)
            let momentum = bind.has("momentum") ? Float(try bind.float("momentum", default: 0.1)) : 0.1
            return try BatchNorm2d(try bind.size("num_features"), eps: Float(try bind.float("eps", default: 1e-5)),
                                   momentum: momentum, affine: try bind.bool("affine", default: true),
                                   trackRunningStats: try bind.bool("track_running_stats", default: true))
        },
        "MaxPool2d": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "MaxPool2d", parameters: ModuleRegistry.maxPool2dParameters)
            _ = try bind.bool("return_indices", default: false)
            return try MaxPool2d(kernelSize: try bind.pair("kernel_size"),
                                 stride: bind.has("stride") ? try bind.pair("stride") : nil,
                                 padding: try bind.pair("padding", default: (0, 0)),
                                 dilation: try bind.pair("dilation", default: (1, 1)),
                                 ceilMode: try bind.bool("ceil_mode", default: false))
        },
        "AvgPool2d": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "AvgPool2d", parameters: ModuleRegistry.avgPool2dParameters)
            return try AvgPool2d(kernelSize: try bind.pair("kernel_size"),
                                 stride: bind.has("stride") ? try bind.pair("stride") : nil,
                                 padding: try bind.pair("padding", default: (0, 0)),
                                 ceilMode: try bind.bool("ceil_mode", default: false),
                                 countIncludePad: try bind.bool("count_include_pad", default: true),
                                 divisorOverride: bind.has("divisor_override") ? try bind.int("divisor_override") : nil)
        },
        "AdaptiveAvgPool2d": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "AdaptiveAvgPool2d", parameters: ["output_size"])
            return try AdaptiveAvgPool2d(outputSize: try bind.pair("output_size"))
        },
        "ReLU6": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "ReLU6", parameters: ["inplace"])
            _ = try bind.bool("inplace", default: false)
            return ReLU6()
        },
        "Hardswish": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Hardswish", parameters: ["inplace"])
            _ = try bind.bool("inplace", default: false)
            return Hardswish()
        },
        "Hardsigmoid": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "Hardsigmoid", parameters: ["inplace"])
            _ = try bind.bool("inplace", default: false)
            return Hardsigmoid()
        },
        "SiLU": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "SiLU", parameters: ["inplace"])
            _ = try bind.bool("inplace", default: false)
            return SiLU()
        },
        "Sequential": { arguments in
            if !arguments.keyword.isEmpty {
                guard arguments.positional.isEmpty else {
                    throw ModuleError(.invalidArgument, "Sequential: give modules either all by position or all by name, not both")
                }
                return try Sequential(named: arguments.keyword.map { ($0.name, try moduleValue($0.value, in: "Sequential")) })
            }
            return Sequential(try arguments.positional.map { try moduleValue($0, in: "Sequential") })
        },
        "MySequential": { arguments in
            guard arguments.keyword.isEmpty else {
                throw ModuleError(.invalidArgument, "MySequential: takes modules by position only")
            }
            return MySequential(try arguments.positional.map { try moduleValue($0, in: "MySequential") })
        },
        "MLP": noArguments("MLP") { MLP() },
        "FixedHiddenMLP": noArguments("FixedHiddenMLP") { FixedHiddenMLP() },
        "NestMLP": noArguments("NestMLP") { NestMLP() },
        "CenteredLayer": noArguments("CenteredLayer") { CenteredLayer() },
        "MyLinear": { arguments in
            let bind = try ArgumentBinder(arguments, layer: "MyLinear", parameters: ["in_units", "units"])
            return MyLinear(try bind.size("in_units"), try bind.size("units"))
        },
    ]

    /// Conv2d's arguments in PyTorch's order (`padding_mode` accepts only "zeros").
    public static let conv2dParameters = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                                          "groups", "bias", "padding_mode"]
    /// BatchNorm2d's arguments in PyTorch's order.
    public static let batchNorm2dParameters = ["num_features", "eps", "momentum", "affine", "track_running_stats"]
    /// MaxPool2d's arguments in PyTorch's order.
    public static let maxPool2dParameters = ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"]
    /// AvgPool2d's arguments in PyTorch's order.
    public static let avgPool2dParameters = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                                             "divisor_override"]

    /// Conv2d's padding: an integer, a pair, or "same" / "valid".
    public static func conv2dPadding(_ bind: ArgumentBinder) throws -> Conv2dPadding {
        let mode = try bind.string("padding_mode", default: "zeros")
        guard mode == "zeros" else {
            throw ModuleError(.invalidArgument, "Conv2d: padding_mode \"\(mode)\" is not supported (only \"zeros\")")
        }
        switch bind.value("padding") {
        case nil: return .explicit(0, 0)
        case .string("same")?: return .same
        case .string("valid")?: return .valid
        case .string(let other)?:
            throw ModuleError(.invalidArgument, "Conv2d: padding must be an integer, a pair, \"same\" or \"valid\", got \"\(other)\"")
        default:
            let (h, w) = try bind.pair("padding")
            return .explicit(h, w)
        }
    }

    private static func noArguments(_ layer: String, _ make: @escaping @Sendable () -> Module) -> Factory {
        { arguments in
            _ = try ArgumentBinder(arguments, layer: layer, parameters: [])
            return make()
        }
    }

    private static func moduleValue(_ value: ModuleArgument, in layer: String) throws -> Module {
        guard case .module(let module) = value else {
            throw ModuleError(.invalidArgument, "\(layer): expected a module, got \(value.kindName) \(value)")
        }
        return module
    }
}
