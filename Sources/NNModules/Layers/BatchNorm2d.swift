import NNCore

/// Batch normalisation over the channels of [N, C, H, W] inputs (PyTorch's `nn.BatchNorm2d`); see `BatchNorm`.
public final class BatchNorm2d: BatchNorm {
    /// Creates the layer with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        try super.init(layerName: "BatchNorm2d", ranks: [4], expectedInput: "a 4-d input [N, \(numFeatures), H, W]",
                       numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                       trackRunningStats: trackRunningStats)
    }
}

extension BatchNormDescription {
    /// `BatchNorm2d(num_features, …)`.
    public static let batchNorm2d = BatchNormDescription(name: "BatchNorm2d", ranks: [4],
                                                          exampleShapes: [[3, 4, 2, 3]]) { c in
        try BatchNorm2d(c.count, eps: c.eps, momentum: c.momentum, affine: c.affine, trackRunningStats: c.trackRunningStats)
    }
}
