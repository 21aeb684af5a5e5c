import NNCore
import NNModules

/// Children named "0", "1", … run in order, like an `nn.Sequential` subclass (torchvision's blocks that derive
/// from Sequential keep their own class name in the tree).
open class SequentialBlock: Module {
    /// Registers `modules` as "0", "1", ….
    public init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() { addModule(String(index), module) }
    }

    /// Each child on the previous one's output.
    open override func forward(_ x: Tensor) throws -> Tensor {
        var y = x
        for (_, module) in childrenWithAllNames { y = try module(y) }
        return y
    }
}

/// torchvision's `Conv2dNormActivation`: a convolution without bias ("0"), BatchNorm2d ("1") and an optional
/// activation ("2"), padding (k − 1)/2 · dilation so that stride 1 keeps the size.
public final class Conv2dNormActivation: SequentialBlock {
    /// The activations torchvision's CNNs put after a convolution.
    public enum Activation: Sendable {
        case relu, relu6, hardswish
    }

    /// Output channels.
    public let outChannels: Int

    /// Creates the block; `batchNormEps` and `batchNormMomentum` are MobileNetV3's (0.001, 0.01) or PyTorch's defaults.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int = 3, stride: Int = 1, groups: Int = 1,
                dilation: Int = 1, activation: Activation?, batchNormEps: Float = 1e-5,
                batchNormMomentum: Float = 0.1) throws {
        self.outChannels = outChannels
        var modules: [Module] = [
            try Conv2d(inChannels, outChannels, kernelSize: kernelSize, stride: stride,
                       padding: (kernelSize - 1) / 2 * dilation, dilation: dilation, groups: groups, bias: false),
            try BatchNorm2d(outChannels, eps: batchNormEps, momentum: batchNormMomentum),
        ]
        switch activation {
        case .relu?: modules.append(ReLU())
        case .relu6?: modules.append(ReLU6())
        case .hardswish?: modules.append(Hardswish())
        case nil: break
        }
        super.init(modules)
    }
}

/// torchvision's `_make_divisible`: `value` rounded to the nearest multiple of `divisor` (at least `divisor`),
/// never more than 10 % below `value`.
func makeDivisible(_ value: Double, _ divisor: Int = 8) -> Int {
    var rounded = Swift.max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
}

extension Module {
    /// The child `name` that this architecture registered itself; throws instead of trapping if it is gone.
    func part(_ name: String) throws -> Module {
        guard let module = child(name) else {
            throw ModuleError(.notFound, "\(typeName): no child named '\(name)'")
        }
        return module
    }
}
