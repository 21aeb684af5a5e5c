import NNCore
import NNModules

/// torchvision's `SqueezeExcitation`: each channel of the input scaled by a gate computed from the channel means
/// (`avgpool`, `fc1`, `activation`, `fc2`, `scale_activation`).
public final class SqueezeExcitation: Module {
    /// Creates the block; MobileNetV3 uses ReLU inside and Hardsigmoid as the gate.
    public init(_ inputChannels: Int, _ squeezeChannels: Int) throws {
        super.init()
        addModule("avgpool", try AdaptiveAvgPool2d(outputSize: (1, 1)))
        addModule("fc1", try Conv2d(inputChannels, squeezeChannels, kernelSize: 1))
        addModule("fc2", try Conv2d(squeezeChannels, inputChannels, kernelSize: 1))
        addModule("activation", ReLU())
        addModule("scale_activation", Hardsigmoid())
    }

    /// `scale_activation(fc2(activation(fc1(avgpool(x))))) · x`.
    public override func forward(_ x: Tensor) throws -> Tensor {
        var scale = try part("avgpool")(x)
        for name in ["fc1", "activation", "fc2", "scale_activation"] { scale = try part(name)(scale) }
        return try scale * x
    }
}
