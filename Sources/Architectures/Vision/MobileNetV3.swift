import NNCore
import NNModules

/// torchvision's MobileNetV3 block (its class is called `InvertedResidual` too): an optional 1×1 expansion, a
/// depthwise k×k convolution, an optional squeeze-and-excitation, a linear 1×1 projection (`block`), with the
/// input added back when stride is 1 and the width is unchanged.
public final class MobileNetV3InvertedResidual: Module {
    /// One row of torchvision's `InvertedResidualConfig` table.
    public struct Configuration: Sendable {
        let input, kernel, expanded, output: Int
        let usesSqueezeExcitation, usesHardswish: Bool
        let stride: Int
    }

    /// Whether the input is added to the block's output.
    public let usesResidual: Bool

    /// Creates the block with MobileNetV3's BatchNorm settings (eps 0.001, momentum 0.01).
    public init(_ configuration: Configuration) throws {
        let c = configuration
        usesResidual = c.stride == 1 && c.input == c.output
        let activation: Conv2dNormActivation.Activation = c.usesHardswish ? .hardswish : .relu
        var layers: [Module] = []
        if c.expanded != c.input {
            layers.append(try Conv2dNormActivation(c.input, c.expanded, kernelSize: 1, activation: activation,
                                                   batchNormEps: 0.001, batchNormMomentum: 0.01))
        }
        layers.append(try Conv2dNormActivation(c.expanded, c.expanded, kernelSize: c.kernel, stride: c.stride,
                                               groups: c.expanded, activation: activation, batchNormEps: 0.001,
                                               batchNormMomentum: 0.01))
        if c.usesSqueezeExcitation {
            layers.append(try SqueezeExcitation(c.expanded, makeDivisible(Double(c.expanded / 4))))
        }
        layers.append(try Conv2dNormActivation(c.expanded, c.output, kernelSize: 1, activation: nil, batchNormEps: 0.001,
                                               batchNormMomentum: 0.01))
        super.init()
        addModule("block", Sequential(layers))
    }

    /// torchvision's class name.
    public override var typeName: String { "InvertedResidual" }

    /// `block(x) + x` or `block(x)`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        let y = try part("block")(x)
        return usesResidual ? try y + x : y
    }
}

/// torchvision's MobileNetV3 (the small configuration, width 1.0): `features`, `avgpool` and `classifier`
/// (Linear, Hardswish, Dropout(0.2), Linear).
public final class MobileNetV3: Module {
    /// mobilenet_v3_small's table: input, kernel, expanded, output, SE, hardswish, stride.
    static let smallSetting: [MobileNetV3InvertedResidual.Configuration] = [
        .init(input: 16, kernel: 3, expanded: 16, output: 16, usesSqueezeExcitation: true, usesHardswish: false, stride: 2),
        .init(input: 16, kernel: 3, expanded: 72, output: 24, usesSqueezeExcitation: false, usesHardswish: false, stride: 2),
        .init(input: 24, kernel: 3, expanded: 88, output: 24, usesSqueezeExcitation: false, usesHardswish: false, stride: 1),
        .init(input: 24, kernel: 5, expanded: 96, output: 40, usesSqueezeExcitation: true, usesHardswish: true, stride: 2),
        .init(input: 40, kernel: 5, expanded: 240, output: 40, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
        .init(input: 40, kernel: 5, expanded: 240, output: 40, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
        .init(input: 40, kernel: 5, expanded: 120, output: 48, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
        .init(input: 48, kernel: 5, expanded: 144, output: 48, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
        .init(input: 48, kernel: 5, expanded: 288, output: 96, usesSqueezeExcitation: true, usesHardswish: true, stride: 2),
        .init(input: 96, kernel: 5, expanded: 576, output: 96, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
        .init(input: 96, kernel: 5, expanded: 576, output: 96, usesSqueezeExcitation: true, usesHardswish: true, stride: 1),
    ]

    /// mobilenet_v3_small with `numClasses` outputs.
    public static func small(numClasses: Int = 1000) throws -> MobileNetV3 {
        try MobileNetV3(setting: smallSetting, lastChannel: 1024, numClasses: numClasses)
    }

    init(setting: [MobileNetV3InvertedResidual.Configuration], lastChannel: Int, numClasses: Int) throws {
        var layers: [Module] = [try Conv2dNormActivation(3, setting[0].input, stride: 2, activation: .hardswish,
                                                         batchNormEps: 0.001, batchNormMomentum: 0.01)]
        for configuration in setting { layers.append(try MobileNetV3InvertedResidual(configuration)) }
        let lastConvInput = setting[setting.count - 1].output, lastConvOutput = 6 * lastConvInput
        layers.append(try Conv2dNormActivation(lastConvInput, lastConvOutput, kernelSize: 1, activation: .hardswish,
                                               batchNormEps: 0.001, batchNormMomentum: 0.01))
        super.init()
        addModule("features", Sequential(layers))
        addModule("avgpool", try AdaptiveAvgPool2d(outputSize: (1, 1)))
        addModule("classifier", Sequential(Linear(lastConvOutput, lastChannel), Hardswish(), try Dropout(p: 0.2),
                                           Linear(lastChannel, numClasses)))
    }

    /// Logits [N, classes] of images [N, 3, H, W].
    public override func forward(_ x: Tensor) throws -> Tensor {
        let pooled = try part("avgpool")(part("features")(x)).flatten(startDim: 1)
        return try part("classifier")(pooled)
    }
}
