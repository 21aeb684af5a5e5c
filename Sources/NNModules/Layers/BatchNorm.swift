import NNCore

/// What PyTorch's `_BatchNorm` shares between BatchNorm1d and BatchNorm2d: per-channel (dimension 1) batch
/// normalisation with an affine `weight` (ones) and `bias` (zeros), and the buffers `running_mean` (zeros),
/// `running_var` (ones) and `num_batches_tracked` (an int64 counter). In training mode the batch's statistics
/// normalise and the running ones are updated with `momentum`, or with 1/num_batches_tracked (a cumulative moving
/// average) when `momentum` is nil; in evaluation mode the running ones normalise. The subclasses only say which
/// input ranks they take.
public class BatchNorm: Module {
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
    private let layerName: String
    private let expectedInput: String
    private let ranks: Set<Int>

    init(layerName: String, ranks: Set<Int>, expectedInput: String, numFeatures: Int, eps: Float, momentum: Float?,
         affine: Bool, trackRunningStats: Bool) throws {
        guard numFeatures > 0 else {
            throw ModuleError(.invalidArgument, "\(layerName): num_features must be positive, got \(numFeatures)")
        }
        self.layerName = layerName
        self.ranks = ranks
        self.expectedInput = expectedInput
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

    /// Normalises `x`; in training mode also counts the batch and updates the running statistics.
    public override func forward(_ x: Tensor) throws -> Tensor {
        guard ranks.contains(x.rank), x.shape[1] == numFeatures else {
            throw ModuleError(.shapeMismatch, "\(summary): expected \(expectedInput), got \(LazyShape(known: x.shape))")
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
    public override var summary: String { "\(layerName)(\(numFeatures))" }

    /// `8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True`.
    public override var extraDescription: String {
        "\(numFeatures), eps=\(eps), momentum=\(momentum.map { "\($0)" } ?? "None"), affine=\(affine ? "True" : "False"), "
            + "track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}

/// The description of a batch norm layer: `NAME(num_features, eps=1e-5, momentum=0.1, affine=True,
/// track_running_stats=True)`, where `momentum=None` means a cumulative moving average (not the default 0.1).
/// Holds weight and bias [C], running_mean and running_var [C] and num_batches_tracked []; keeps the input's
/// shape.
public struct BatchNormDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let layer: String
        let count: Int
        let eps: Float
        let momentum: Float?
        let affine, trackRunningStats: Bool
        public var description: String { "\(layer)(\(count))" }
    }

    /// The type name.
    public let name: String
    private let ranks: Set<Int>
    private let exampleShapes: [[Int]]
    private let build: @Sendable (Configuration) throws -> Module

    init(name: String, ranks: Set<Int>, exampleShapes: [[Int]], make: @escaping @Sendable (Configuration) throws -> Module) {
        self.name = name
        self.ranks = ranks
        self.exampleShapes = exampleShapes
        self.build = make
    }

    public var arguments: [LayerArgument] {
        [.required("num_features"), LayerArgument("eps", .value(.float(1e-5))),
         LayerArgument("momentum", .value(.float(0.1)), noneIsAValue: true), LayerArgument("affine", .value(.bool(true))),
         LayerArgument("track_running_stats", .value(.bool(true)))]
    }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(layer: name, count: try arguments.size("num_features"), eps: Float(try arguments.float("eps", default: 1e-5)),
                      momentum: try arguments.optionalFloat("momentum").map(Float.init),
                      affine: try arguments.bool("affine", default: true),
                      trackRunningStats: try arguments.bool("track_running_stats", default: true))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] {
        (c.affine ? [LayerTensor("weight", [c.count]), LayerTensor("bias", [c.count])] : [])
            + (c.trackRunningStats ? [LayerTensor("running_mean", [c.count], isBuffer: true),
                                      LayerTensor("running_var", [c.count], isBuffer: true),
                                      LayerTensor("num_batches_tracked", [], isBuffer: true)] : [])
    }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        guard ranks.contains(input.count), input[1] == c.count else {
            throw ModuleError(.shapeMismatch, "\(c): expected \(ranks.sorted().map { "\($0)-d" }.joined(separator: " or ")) input with "
                              + "\(c.count) channels, got \(LazyShape(known: input))")
        }
        return LayerActivation(output: input)
    }

    public func make(_ c: Configuration) throws -> Module { try build(c) }

    public func examples() throws -> [LayerExample] {
        exampleShapes.flatMap { shape in
            let channels = ModuleArgument.int(shape[1])
            return [LayerExample(ModuleArguments([channels]), inputShape: shape),
                    LayerExample(ModuleArguments([channels], keyword: [("momentum", .none), ("eps", .float(1e-3))]), inputShape: shape),
                    LayerExample(ModuleArguments([channels], keyword: [("affine", .bool(false)), ("track_running_stats", .bool(false))]),
                                 inputShape: shape)]
        }
    }
}
