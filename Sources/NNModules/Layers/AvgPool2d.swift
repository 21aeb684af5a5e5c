import NNCore

/// The mean over each window (PyTorch's `nn.AvgPool2d`; `stride` defaults to the kernel size).
public final class AvgPool2d: Module {
    /// Window height and width.
    public let kernelSize: (Int, Int)
    /// Step between windows.
    public let stride: (Int, Int)
    /// Implicit zero padding on each side.
    public let padding: (Int, Int)
    /// Whether a last partial window is kept (output size rounded up).
    public let ceilMode: Bool
    /// Whether padding counts in the divisor.
    public let countIncludePad: Bool
    /// A fixed divisor instead of the window size.
    public let divisorOverride: Int?

    /// Creates the layer with PyTorch's defaults.
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil) throws {
        try checkPoolingSizes("AvgPool2d", kernelSize: kernelSize, stride: stride, padding: padding)
        if divisorOverride == 0 { throw ModuleError(.invalidArgument, "AvgPool2d: divisor_override must be non-zero") }
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
        super.init()
    }

    /// The pooled `x` [N, C, H, W] (or [C, H, W]).
    public override func forward(_ x: Tensor) throws -> Tensor {
        try avgPool2d(x, kernel: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                      countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }

    /// `kernel_size=2, stride=2, padding=0`.
    public override var extraDescription: String {
        "kernel_size=\(pythonPair(kernelSize)), stride=\(pythonPair(stride)), padding=\(pythonPair(padding))"
    }
}

/// `AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`:
/// holds nothing; [N, C, H, W] → [N, C, H', W'].
public struct AvgPool2dDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let kernel, padding: (Int, Int)
        let stride: (Int, Int)?
        let ceilMode, countIncludePad: Bool
        let divisorOverride: Int?
        public var description: String { "AvgPool2d(kernel_size=\(pythonPair(kernel)))" }
    }

    public init() {}
    public var name: String { "AvgPool2d" }
    public var arguments: [LayerArgument] {
        [.required("kernel_size"), LayerArgument("stride", .none), LayerArgument("padding", .value(.int(0))),
         LayerArgument("ceil_mode", .value(.bool(false))), LayerArgument("count_include_pad", .value(.bool(true))),
         LayerArgument("divisor_override", .none)]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(kernel: try arguments.pair("kernel_size"), padding: try arguments.pair("padding", default: (0, 0)),
                      stride: try arguments.optionalPair("stride"), ceilMode: try arguments.bool("ceil_mode", default: false),
                      countIncludePad: try arguments.bool("count_include_pad", default: true),
                      divisorOverride: try arguments.optionalInt("divisor_override"))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try poolOutput(input, kernel: c.kernel, stride: c.stride ?? c.kernel, padding: c.padding,
                                               dilation: (1, 1), ceilMode: c.ceilMode, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module {
        try AvgPool2d(kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode,
                      countIncludePad: c.countIncludePad, divisorOverride: c.divisorOverride)
    }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(2)]), inputShape: [1, 2, 6, 5]),
         LayerExample(ModuleArguments([.int(3)], keyword: [("stride", .int(2)), ("padding", .int(1)), ("ceil_mode", .bool(true)),
                                                           ("count_include_pad", .bool(false))]),
                      inputShape: [1, 2, 7, 7]),
         LayerExample(ModuleArguments([.list([.int(2), .int(3)])], keyword: [("divisor_override", .int(4))]), inputShape: [2, 5, 6])]
    }
}
