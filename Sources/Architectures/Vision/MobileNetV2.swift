import NNCore
import NNModules

/// torchvision's MobileNetV2 block: an optional 1×1 expansion, a depthwise 3×3 convolution, a linear 1×1
/// projection (`conv`), with the input added back when stride is 1 and the width is unchanged.
public final class InvertedResidual: Module {
    /// Whether the input is added to the block's output.
    public let usesResidual: Bool

    /// Creates the block from `inputChannels` to `outputChannels` with `expandRatio` times as many hidden channels.
    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int, expandRatio: Int) throws {
        let hidden = inputChannels * expandRatio
        usesResidual = stride == 1 && inputChannels == outputChannels
        var layers: [Module] = []
        if expandRatio != 1 {
            layers.append(try Conv2dNormActivation(inputChannels, hidden, kernelSize: 1, activation: .relu6))
        }
        layers += [
            try Conv2dNormActivation(hidden, hidden, stride: stride, groups: hidden, activation: .relu6),
            try Conv2d(hidden, outputChannels, kernelSize: 1, bias: false),
            try BatchNorm2d(outputChannels),
        ]
        super.init()
        addModule("conv", Sequential(layers))
        // torchvision keeps these as plain attributes; they are not modules.
    }

    /// `x + conv(x)` or `conv(x)`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        let y = try part("conv")(x)
        return usesResidual ? try x + y : y
    }
}

/// torchvision's MobileNetV2 (width 1.0): `features` (a stem convolution, 17 inverted residual blocks, a 1×1
/// convolution to 1280 channels), global average pooling, and `classifier` (Dropout(0.2), Linear(1280, classes)).
public final class MobileNetV2: Module {
    /// (expansion t, channels c, repeats n, first stride s) of each stage, as torchvision lists them.
    static let invertedResidualSetting = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                                          (6, 160, 3, 2), (6, 320, 1, 1)]

    /// Creates the network with `numClasses` outputs.
    public init(numClasses: Int = 1000) throws {
        var inputChannel = makeDivisible(32)
        let lastChannel = makeDivisible(1280)
        var features: [Module] = [try Conv2dNormActivation(3, inputChannel, stride: 2, activation: .relu6)]
        for (t, c, n, s) in Self.invertedResidualSetting {
            let outputChannel = makeDivisible(Double(c))
            for i in 0 ..< n {
                features.append(try InvertedResidual(inputChannel, outputChannel, stride: i == 0 ? s : 1, expandRatio: t))
                inputChannel = outputChannel
            }
        }
        features.append(try Conv2dNormActivation(inputChannel, lastChannel, kernelSize: 1, activation: .relu6))
        super.init()
        addModule("features", Sequential(features))
        addModule("classifier", Sequential(try Dropout(p: 0.2), Linear(lastChannel, numClasses)))
    }

    /// Logits [N, classes] of images [N, 3, H, W].
    public override func forward(_ x: Tensor) throws -> Tensor {
        let features = try part("features")(x)
        let pooled = try adaptiveAvgPool2d(features, outputSize: (1, 1)).flatten(startDim: 1)
        return try part("classifier")(pooled)
    }
}
