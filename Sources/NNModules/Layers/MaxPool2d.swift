import NNCore

/// The maximum over each window (PyTorch's `nn.MaxPool2d`; `stride` defaults to the kernel size).
public final class MaxPool2d: Module {
    /// Window height and width.
    public let kernelSize: (Int, Int)
    /// Step between windows.
    public let stride: (Int, Int)
    /// Implicit −∞ padding on each side.
    public let padding: (Int, Int)
    /// Spacing between window elements.
    public let dilation: (Int, Int)
    /// Whether a last partial window is kept (output size rounded up).
    public let ceilMode: Bool

    /// Creates the layer; sizes are checked against the input at the first forward, as in PyTorch.
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) throws {
        try checkPoolingSizes("MaxPool2d", kernelSize: kernelSize, stride: stride, padding: padding)
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    /// The pooled `x` [N, C, H, W] (or [C, H, W]).
    public override func forward(_ x: Tensor) throws -> Tensor {
        try maxPool2d(x, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    /// `kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False`.
    public override var extraDescription: String {
        "kernel_size=\(pythonPair(kernelSize)), stride=\(pythonPair(stride)), padding=\(pythonPair(padding)), "
            + "dilation=\(pythonPair(dilation)), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}

/// PyTorch's constructor-time checks of a pooling layer (positive kernel and stride, padding at most half the
/// kernel), so a spec with impossible sizes fails where it is written.
func checkPoolingSizes(_ layer: String, kernelSize: (Int, Int), stride: (Int, Int)?, padding: (Int, Int)) throws {
    guard kernelSize.0 > 0, kernelSize.1 > 0 else {
        throw ModuleError(.invalidArgument, "\(layer): kernel_size must be positive, got \(pairText(kernelSize))")
    }
    if let stride, stride.0 <= 0 || stride.1 <= 0 {
        throw ModuleError(.invalidArgument, "\(layer): stride must be positive, got \(pairText(stride))")
    }
    guard padding.0 >= 0, padding.1 >= 0, padding.0 <= kernelSize.0 / 2, padding.1 <= kernelSize.1 / 2 else {
        throw ModuleError(.invalidArgument, "\(layer): padding \(pairText(padding)) must be between 0 and half the kernel size \(pairText(kernelSize))")
    }
}

/// A pair as PyTorch prints a layer's argument: `2` when both are equal (as given), `(3, 2)` otherwise.
func pythonPair(_ pair: (Int, Int)) -> String { pair.0 == pair.1 ? "\(pair.0)" : pairText(pair) }

/// `MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)`: holds
/// nothing; [N, C, H, W] → [N, C, H', W'].
public struct MaxPool2dDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let kernel, padding, dilation: (Int, Int)
        let stride: (Int, Int)?
        let ceilMode: Bool
        public var description: String { "MaxPool2d(kernel_size=\(pythonPair(kernel)))" }
    }

    public init() {}
    public var name: String { "MaxPool2d" }
    public var arguments: [LayerArgument] {
        [.required("kernel_size"), LayerArgument("stride", .none), LayerArgument("padding", .value(.int(0))),
         LayerArgument("dilation", .value(.int(1))), LayerArgument("return_indices", .value(.bool(false))),
         LayerArgument("ceil_mode", .value(.bool(false)))]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        _ = try arguments.bool("return_indices", default: false)
        return Configuration(kernel: try arguments.pair("kernel_size"), padding: try arguments.pair("padding", default: (0, 0)),
                             dilation: try arguments.pair("dilation", default: (1, 1)), stride: try arguments.optionalPair("stride"),
                             ceilMode: try arguments.bool("ceil_mode", default: false))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        LayerActivation(output: try poolOutput(input, kernel: c.kernel, stride: c.stride ?? c.kernel, padding: c.padding,
                                               dilation: c.dilation, ceilMode: c.ceilMode, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module {
        try MaxPool2d(kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceilMode)
    }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(2)]), inputShape: [1, 2, 6, 6]),
         LayerExample(ModuleArguments([.int(3)], keyword: [("stride", .int(2)), ("padding", .int(1)), ("ceil_mode", .bool(true))]),
                      inputShape: [2, 3, 7, 8]),
         LayerExample(ModuleArguments([.list([.int(3), .int(2)])], keyword: [("dilation", .int(2)), ("stride", .int(1))]),
                      inputShape: [3, 9, 7])]
    }
}

/// The output of a pooling window walk over `input` [N, C, H, W] or [C, H, W] (padding on both sides).
func poolOutput(_ input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
                ceilMode: Bool, layer: String) throws -> [Int] {
    try WindowOutputSize.checkImage(input, channels: nil, layer: layer)
    let height = try WindowOutputSize.size(input: input[input.count - 2], kernel: kernel.0, stride: stride.0,
                                           padBefore: padding.0, padAfter: padding.0, dilation: dilation.0,
                                           ceilMode: ceilMode, layer: layer)
    let width = try WindowOutputSize.size(input: input[input.count - 1], kernel: kernel.1, stride: stride.1,
                                          padBefore: padding.1, padAfter: padding.1, dilation: dilation.1,
                                          ceilMode: ceilMode, layer: layer)
    return try WindowOutputSize.output(input, height: height, width: width, layer: layer)
}
