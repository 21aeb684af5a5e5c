import NNCore

/// Merges dimensions `startDim...endDim` into one (PyTorch's `nn.Flatten`, which keeps the batch dimension).
public final class Flatten: Module {
    /// First dimension merged.
    public let startDim: Int
    /// Last dimension merged (negative counts from the end).
    public let endDim: Int

    /// Creates the layer; the defaults keep dimension 0, as PyTorch's.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    /// `x` with dimensions `startDim...endDim` merged.
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.flatten(startDim: startDim, endDim: endDim)
    }

    /// `start_dim=1, end_dim=-1`.
    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}
