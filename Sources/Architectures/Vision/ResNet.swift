import NNCore
import NNModules

/// A convolution without bias as torchvision's `conv3x3` / `conv1x1` make them (padding 1 for 3×3).
private func convolution(_ input: Int, _ output: Int, kernel: Int, stride: Int = 1) throws -> Conv2d {
    try Conv2d(input, output, kernelSize: kernel, stride: stride, padding: kernel / 2, bias: false)
}

/// torchvision's `BasicBlock` (ResNet-18/34): two 3×3 convolutions with BatchNorm, the input (or its
/// `downsample`) added before the last ReLU.
public final class BasicBlock: Module {
    /// Output channels per `planes`.
    public static let expansion = 1

    /// Creates the block; `downsample` adapts the input when the stride or width changes.
    public init(_ inplanes: Int, _ planes: Int, stride: Int = 1, downsample: Module? = nil) throws {
        super.init()
        addModule("conv1", try convolution(inplanes, planes, kernel: 3, stride: stride))
        addModule("bn1", try BatchNorm2d(planes))
        addModule("relu", ReLU())
        addModule("conv2", try convolution(planes, planes, kernel: 3))
        addModule("bn2", try BatchNorm2d(planes))
        if let downsample { addModule("downsample", downsample) }
    }

    /// relu(bn2(conv2(relu(bn1(conv1(x))))) + identity).
    public override func forward(_ x: Tensor) throws -> Tensor {
        var out = try part("relu")(part("bn1")(part("conv1")(x)))
        out = try part("bn2")(part("conv2")(out))
        let identity = try child("downsample").map { try $0(x) } ?? x
        return try part("relu")(out + identity)
    }
}

/// torchvision's `Bottleneck` (ResNet-50): 1×1, 3×3 (with the stride) and 1×1 convolutions with BatchNorm, four
/// times as many output channels as `planes`, the input (or its `downsample`) added before the last ReLU.
public final class Bottleneck: Module {
    /// Output channels per `planes`.
    public static let expansion = 4

    /// Creates the block; `downsample` adapts the input when the stride or width changes.
    public init(_ inplanes: Int, _ planes: Int, stride: Int = 1, downsample: Module? = nil) throws {
        super.init()
        addModule("conv1", try convolution(inplanes, planes, kernel: 1))
        addModule("bn1", try BatchNorm2d(planes))
        addModule("conv2", try convolution(planes, planes, kernel: 3, stride: stride))
        addModule("bn2", try BatchNorm2d(planes))
        addModule("conv3", try convolution(planes, planes * Self.expansion, kernel: 1))
        addModule("bn3", try BatchNorm2d(planes * Self.expansion))
        addModule("relu", ReLU())
        if let downsample { addModule("downsample", downsample) }
    }

    /// relu(bn3(conv3(…)) + identity).
    public override func forward(_ x: Tensor) throws -> Tensor {
        var out = try part("relu")(part("bn1")(part("conv1")(x)))
        out = try part("relu")(part("bn2")(part("conv2")(out)))
        out = try part("bn3")(part("conv3")(out))
        let identity = try child("downsample").map { try $0(x) } ?? x
        return try part("relu")(out + identity)
    }
}

/// torchvision's `ResNet`: a 7×7 stem (`conv1`, `bn1`, `relu`, `maxpool`), four stages `layer1`…`layer4` of
/// BasicBlock or Bottleneck, global average pooling and `fc`.
public final class ResNet: Module {
    /// The residual block a ResNet is made of.
    public enum Block: Sendable {
        case basic, bottleneck

        var expansion: Int { self == .basic ? BasicBlock.expansion : Bottleneck.expansion }
    }

    /// Creates the network with `layers` blocks per stage and `numClasses` outputs.
    public init(block: Block, layers: [Int], numClasses: Int = 1000) throws {
        super.init()
        addModule("conv1", try Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false))
        addModule("bn1", try BatchNorm2d(64))
        addModule("relu", ReLU())
        addModule("maxpool", try MaxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)))
        var inplanes = 64
        for (stage, (planes, count)) in zip([64, 128, 256, 512], layers).enumerated() {
            let stride = stage == 0 ? 1 : 2
            var downsample: Module?
            if stride != 1 || inplanes != planes * block.expansion {
                downsample = Sequential(try convolution(inplanes, planes * block.expansion, kernel: 1, stride: stride),
                                        try BatchNorm2d(planes * block.expansion))
            }
            var blocks: [Module] = []
            for index in 0 ..< count {
                let input = index == 0 ? inplanes : planes * block.expansion
                let first = index == 0
                switch block {
                case .basic:
                    blocks.append(try BasicBlock(input, planes, stride: first ? stride : 1, downsample: first ? downsample : nil))
                case .bottleneck:
                    blocks.append(try Bottleneck(input, planes, stride: first ? stride : 1, downsample: first ? downsample : nil))
                }
            }
            inplanes = planes * block.expansion
            addModule("layer\(stage + 1)", Sequential(blocks))
        }
        addModule("avgpool", try AdaptiveAvgPool2d(outputSize: (1, 1)))
        addModule("fc", Linear(512 * block.expansion, numClasses))
    }

    /// Logits [N, classes] of images [N, 3, H, W].
    public override func forward(_ x: Tensor) throws -> Tensor {
        var y = x
        for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"] {
            y = try part(name)(y)
        }
        return try part("fc")(y.flatten(startDim: 1))
    }
}
