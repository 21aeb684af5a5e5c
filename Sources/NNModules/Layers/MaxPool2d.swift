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
