import NNCore

/// Batch normalisation over the channels of [N, C, H, W] inputs (PyTorch's `nn.BatchNorm2d`): affine `weight`
/// (ones) and `bias` (zeros), and the buffers `running_mean` (zeros), `running_var` (ones) and
/// `num_batches_tracked` (an int64 counter). In training mode the batch's statistics normalise and the running
/// ones are updated; in evaluation mode the running ones normalise.
public final class BatchNorm2d: Module {
    /// Channels.
    public let numFeatures: Int
    /// Added to the variance for stability.
    public let eps: Float
    /// Weight of the new batch in the running statistics; nil for a cumulative average.
    public let momentum: Float?
    /// Whether `weight` and `bias` are learnt.
    public let affine: Bool
    /// Whether running statistics are kept (without them, evaluation mode uses the batch's statistics too).
    public let trackRunningStats: Bool

    /// Creates the layer with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        guard numFeatures > 0 else {
            throw ModuleError(.invalidArgument, "BatchNorm2d: num_features must be positive, got \(numFeatures)")
        }
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        super.init()
        if affine {
            registerParameter("weight", Tensor.ones([numFeatures]))
            registerParameter("bias", Tensor.zeros([numFeatures]))
        }
        if trackRunningStats {
            registerBuffer("running_mean", Tensor.zeros([numFeatures]))
            registerBuffer("running_var", Tensor.ones([numFeatures]))
            registerBuffer("num_batches_tracked", Tensor.zeros([], dtype: .int64))
        }
    }

    /// Normalises `x` [N, C, H, W]; in training mode also counts the batch and updates the running statistics.
    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == numFeatures else {
            throw ModuleError(.shapeMismatch, "\(summary): expected a 4-d input [N, \(numFeatures), H, W], got \(LazyShape(known: x.shape))")
        }
        var factor: Float = 0
        if isTraining, let counter = buffer("num_batches_tracked") {
            let count = try counter.item() + 1
            counter.fill(count)
            factor = momentum ?? 1 / count
        }
        // Without running statistics the batch's own normalise in both modes, as in PyTorch.
        return try batchNorm(x, runningMean: buffer("running_mean"), runningVar: buffer("running_var"),
                             weight: affine ? parameter("weight") : nil, bias: affine ? parameter("bias") : nil,
                             training: isTraining || !trackRunningStats, averageFactor: factor, eps: eps)
    }

    /// `BatchNorm2d(8)`.
    public override var summary: String { "BatchNorm2d(\(numFeatures))" }

    /// `8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True`.
    public override var extraDescription: String {
        "\(numFeatures), eps=\(eps), momentum=\(momentum.map { "\($0)" } ?? "None"), affine=\(affine ? "True" : "False"), "
            + "track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}
