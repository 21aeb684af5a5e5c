import NNCore

/// Batch normalisation over the channels of [N, C] or [N, C, L] inputs (PyTorch's `nn.BatchNorm1d`): the
/// statistics of each channel are taken over the batch (and the length); see `BatchNorm`.
public final class BatchNorm1d: BatchNorm {
    /// Creates the layer with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        try super.init(layerName: "BatchNorm1d", ranks: [2, 3],
                       expectedInput: "a 2-d input [N, \(numFeatures)] or a 3-d input [N, \(numFeatures), L]",
                       numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                       trackRunningStats: trackRunningStats)
    }
}

extension BatchNormDescription {
    /// `BatchNorm1d(num_features, …)`.
    public static let batchNorm1d = BatchNormDescription(name: "BatchNorm1d", ranks: [2, 3],
                                                          exampleShapes: [[4, 3], [2, 3, 5]]) { c in
        try BatchNorm1d(c.count, eps: c.eps, momentum: c.momentum, affine: c.affine, trackRunningStats: c.trackRunningStats)
    }
}
