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
