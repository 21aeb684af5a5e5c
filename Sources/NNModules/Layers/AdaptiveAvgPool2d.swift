import NNCore

/// The mean over adaptive windows that give an output of `outputSize` (PyTorch's `nn.AdaptiveAvgPool2d`).
public final class AdaptiveAvgPool2d: Module {
    /// Output height and width.
    public let outputSize: (Int, Int)

    /// Creates the layer; throws for a non-positive size.
    public init(outputSize: (Int, Int)) throws {
        guard outputSize.0 > 0, outputSize.1 > 0 else {
            throw ModuleError(.invalidArgument, "AdaptiveAvgPool2d: output_size must be positive, got \(pairText(outputSize))")
        }
        self.outputSize = outputSize
        super.init()
    }

    /// `x` [N, C, H, W] (or [C, H, W]) pooled to [N, C, outputSize].
    public override func forward(_ x: Tensor) throws -> Tensor {
        try adaptiveAvgPool2d(x, outputSize: outputSize)
    }

    /// `output_size=1`.
    public override var extraDescription: String { "output_size=\(pythonPair(outputSize))" }
}
