import NNCore

/// A 2-d convolution (PyTorch's `nn.Conv2d`): `weight` [out, in/groups, kH, kW] and an optional `bias` [out],
/// initialised like PyTorch (uniform in ±1/√fan_in, fan_in = in/groups·kH·kW).
public final class Conv2d: Module {
    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Kernel height and width.
    public let kernelSize: (Int, Int)
    /// Step between windows, vertically and horizontally.
    public let stride: (Int, Int)
    /// Zero padding (explicit, 'same' or 'valid').
    public let padding: Conv2dPadding
    /// Spacing between kernel taps.
    public let dilation: (Int, Int)
    /// Channel groups (in and out channels are split into this many independent convolutions).
    public let groups: Int
    /// Whether the layer adds a bias.
    public let hasBias: Bool

    /// Creates the layer; throws for sizes PyTorch rejects (channels not divisible by groups, non-positive
    /// kernel, stride or dilation, negative padding, 'same' with a stride).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: Conv2dPadding = .explicit(0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                bias: Bool = true) throws {
        func invalid(_ message: String) -> ModuleError { ModuleError(.invalidArgument, "Conv2d: " + message) }
        guard inChannels > 0, outChannels > 0 else { throw invalid("channels must be positive, got \(inChannels) and \(outChannels)") }
        guard groups > 0 else { throw invalid("groups must be positive, got \(groups)") }
        guard inChannels % groups == 0 else { throw invalid("in_channels \(inChannels) must be divisible by groups \(groups)") }
        guard outChannels % groups == 0 else { throw invalid("out_channels \(outChannels) must be divisible by groups \(groups)") }
        guard kernelSize.0 > 0, kernelSize.1 > 0 else { throw invalid("kernel_size must be positive, got \(kernelSize)") }
        guard stride.0 > 0, stride.1 > 0 else { throw invalid("stride must be positive, got \(stride)") }
        guard dilation.0 > 0, dilation.1 > 0 else { throw invalid("dilation must be positive, got \(dilation)") }
        if case .explicit(let h, let w) = padding, h < 0 || w < 0 { throw invalid("padding must be non-negative, got (\(h), \(w))") }
        if padding == .same && stride != (1, 1) { throw invalid("padding='same' is not supported for strided convolutions") }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.hasBias = bias
        super.init()
        let fanIn = inChannels / groups * kernelSize.0 * kernelSize.1
        let bound = 1 / Float(fanIn).squareRoot()
        let (weight, biasTensor) = Tensor.withDefaultGenerator { generator in
            (Tensor.uniform([outChannels, inChannels / groups, kernelSize.0, kernelSize.1], low: -bound, high: bound,
                            generator: &generator),
             bias ? Tensor.uniform([outChannels], low: -bound, high: bound, generator: &generator) : nil)
        }
        registerParameter("weight", weight)
        if let biasTensor { registerParameter("bias", biasTensor) }
    }

    /// A square kernel and equal strides, paddings and dilations.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true) throws {
        try self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: .explicit(padding, padding), dilation: (dilation, dilation), groups: groups, bias: bias)
    }

    /// The convolution of `x` [N, C, H, W] (or [C, H, W]).
    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 3 || x.rank == 4, x.shape[x.rank - 3] == inChannels else {
            throw ModuleError(.shapeMismatch, "\(summary): expected an input [N, \(inChannels), H, W], got \(LazyShape(known: x.shape))")
        }
        return try conv2d(x, weight: parameter("weight"), bias: hasBias ? parameter("bias") : nil, stride: stride,
                          padding: padding, dilation: dilation, groups: groups)
    }

    /// `Conv2d(3 → 8, 3×3)`.
    public override var summary: String { "Conv2d(\(inChannels) → \(outChannels), \(kernelSize.0)×\(kernelSize.1))" }

    /// `3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=8, bias=False`, as PyTorch prints it.
    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(pairText(kernelSize)), stride=\(pairText(stride))"
        switch padding {
        case .explicit(let h, let w): if h != 0 || w != 0 { text += ", padding=\(pairText((h, w)))" }
        case .same: text += ", padding=same"
        case .valid: text += ", padding=valid"
        }
        if dilation != (1, 1) { text += ", dilation=\(pairText(dilation))" }
        if groups != 1 { text += ", groups=\(groups)" }
        if !hasBias { text += ", bias=False" }
        return text
    }
}

/// `(3, 3)`, as Python prints a pair.
func pairText(_ pair: (Int, Int)) -> String { "(\(pair.0), \(pair.1))" }

/// `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
/// padding_mode='zeros')`: weight [out, in/groups, kH, kW], bias [out]; [N, in, H, W] → [N, out, H', W'], with
/// one sample's unfolded windows [in/groups·kH·kW, H'·W'] on the way (none for depthwise or 1×1 convolutions).
public struct Conv2dDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let inChannels, outChannels: Int
        let kernel, stride, dilation: (Int, Int)
        let padding: Conv2dPadding
        let groups: Int
        let bias: Bool
        public var description: String { "Conv2d(\(inChannels), \(outChannels), kernel_size=\(kernel))" }
    }

    public init() {}
    public var name: String { "Conv2d" }
    public var arguments: [LayerArgument] {
        [.required("in_channels"), .required("out_channels"), .required("kernel_size"),
         LayerArgument("stride", .value(.int(1))), LayerArgument("padding", .value(.int(0))),
         LayerArgument("dilation", .value(.int(1))), LayerArgument("groups", .value(.int(1))),
         LayerArgument("bias", .value(.bool(true))), LayerArgument("padding_mode", .value(.string("zeros")))]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        let groups = try arguments.int("groups", default: 1)
        guard groups > 0 else { throw ModuleError(.invalidArgument, "Conv2d: groups must be positive, got \(groups)") }
        let kernel = try arguments.pair("kernel_size")
        guard kernel.0 >= 0, kernel.1 >= 0 else {
            throw ModuleError(.invalidArgument, "Conv2d: kernel_size must be positive, got \(pairText(kernel))")
        }
        return Configuration(inChannels: try arguments.size("in_channels"), outChannels: try arguments.size("out_channels"),
                             kernel: kernel, stride: try arguments.pair("stride", default: (1, 1)),
                             dilation: try arguments.pair("dilation", default: (1, 1)), padding: try Self.padding(arguments),
                             groups: groups, bias: try arguments.bool("bias", default: true))
    }

    /// Conv2d's padding: an integer, a pair, or "same" / "valid"; `padding_mode` accepts only "zeros".
    static func padding(_ arguments: ArgumentBinder) throws -> Conv2dPadding {
        let mode = try arguments.string("padding_mode", default: "zeros")
        guard mode == "zeros" else {
            throw ModuleError(.invalidArgument, "Conv2d: padding_mode \"\(mode)\" is not supported (only \"zeros\")")
        }
        switch arguments.value("padding") {
        case nil: return .explicit(0, 0)
        case .string("same")?: return .same
        case .string("valid")?: return .valid
        case .string(let other)?:
            throw ModuleError(.invalidArgument, "Conv2d: padding must be an integer, a pair, \"same\" or \"valid\", got \"\(other)\"")
        default:
            let (h, w) = try arguments.pair("padding")
            return .explicit(h, w)
        }
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        [LayerTensor("weight", [c.outChannels, c.inChannels / c.groups, c.kernel.0, c.kernel.1])]
            + (c.bias ? [LayerTensor("bias", [c.outChannels])] : [])
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        let layer = c.description
        try WindowOutputSize.checkImage(input, channels: c.inChannels, layer: layer)
        let pads: (top: Int, left: Int, bottom: Int, right: Int)
        switch c.padding {
        case .explicit(let h, let w): pads = (h, w, h, w)
        case .valid: pads = (0, 0, 0, 0)
        case .same:
            let h = try CheckedSize.product([c.dilation.0, c.kernel.0 - 1], layer: layer)
            let w = try CheckedSize.product([c.dilation.1, c.kernel.1 - 1], layer: layer)
            pads = (h / 2, w / 2, h - h / 2, w - w / 2)
        }
        let height = try WindowOutputSize.size(input: input[input.count - 2], kernel: c.kernel.0, stride: c.stride.0,
                                               padBefore: pads.top, padAfter: pads.bottom, dilation: c.dilation.0, layer: layer)
        let width = try WindowOutputSize.size(input: input[input.count - 1], kernel: c.kernel.1, stride: c.stride.1,
                                              padBefore: pads.left, padAfter: pads.right, dilation: c.dilation.1, layer: layer)
        let output = try WindowOutputSize.output(input, channels: c.outChannels, height: height, width: width, layer: layer)
        let depthwise = c.inChannels == c.groups && c.outChannels == c.groups
        let pointwise = c.kernel == (1, 1) && c.stride == (1, 1) && pads.top == 0 && pads.left == 0 && pads.bottom == 0 && pads.right == 0
        let unfolded = depthwise || pointwise ? 0
            : try CheckedSize.product([c.inChannels / c.groups, c.kernel.0, c.kernel.1, height, width], layer: layer)
        return LayerActivation(output: output, largestIntermediate: unfolded)
    }

    public func make(_ c: Configuration) throws -> Module {
        try Conv2d(c.inChannels, c.outChannels, kernelSize: c.kernel, stride: c.stride, padding: c.padding,
                   dilation: c.dilation, groups: c.groups, bias: c.bias)
    }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(3), .int(8), .int(3)]), inputShape: [2, 3, 7, 7]),
         LayerExample(ModuleArguments([.int(4), .int(4), .int(3)],
                                      keyword: [("stride", .int(2)), ("padding", .int(1)), ("groups", .int(4)), ("bias", .bool(false))]),
                      inputShape: [1, 4, 9, 8]),
         LayerExample(ModuleArguments([.int(2), .int(6), .list([.int(3), .int(2)])],
                                      keyword: [("padding", .string("same")), ("dilation", .int(2)), ("groups", .int(2))]),
                      inputShape: [2, 6, 7]),
         LayerExample(ModuleArguments([.int(3), .int(4), .int(1)], keyword: [("padding", .string("valid"))]), inputShape: [3, 5, 5]),
         LayerExample(ModuleArguments([.int(2), .int(3), .list([.int(2), .int(3)])],
                                      keyword: [("stride", .list([.int(2), .int(1)])), ("padding", .list([.int(1), .int(0)]))]),
                      inputShape: [1, 2, 6, 6])]
    }
}
