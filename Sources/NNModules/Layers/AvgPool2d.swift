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
