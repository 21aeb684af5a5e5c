import NNCore

/// The mean over adaptive windows that give an output of `outputSize` (PyTorch's `nn.AdaptiveAvgPool2d`).
public final class AdaptiveAvgPool2d: Module {
    /// Output height and width.
    public let outputSize: (Int, Int)

    /// Creates the layer; throws for a non-positive size.
    public init(outputSize: (Int, Int)) throws {
        guard outputSize.0 > 0, outputSize.1 > 0 else {
            throw ModuleError(.invalidArgument, "AdaptiveAvgPool2d: output_size must be positive, got \(pairText(outputSize))")
        }
        self.outputSize = outputSize
        super.init()
    }

    /// `x` [N, C, H, W] (or [C, H, W]) pooled to [N, C, outputSize].
    public override func forward(_ x: Tensor) throws -> Tensor {
        try adaptiveAvgPool2d(x, outputSize: outputSize)
    }

    /// `output_size=1`.
    public override var extraDescription: String { "output_size=\(pythonPair(outputSize))" }
}

/// `AdaptiveAvgPool2d(output_size)`: holds nothing; [N, C, H, W] → [N, C, oH, oW].
public struct AdaptiveAvgPool2dDescription: LayerDescription {
    public struct Configuration: CustomStringConvertible {
        let size: (Int, Int)
        public var description: String { "AdaptiveAvgPool2d(\(size))" }
    }

    public init() {}
    public var name: String { "AdaptiveAvgPool2d" }
    public var arguments: [LayerArgument] { [.required("output_size")] }

    public func configuration(_ arguments: ArgumentBinder) throws -> Configuration {
        Configuration(size: try arguments.pair("output_size"))
    }

    public func tensors(_ c: Configuration) -> [LayerTensor] { [] }

    public func activation(_ c: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation {
        try WindowOutputSize.checkImage(input, channels: nil, layer: c.description)
        return LayerActivation(output: try WindowOutputSize.output(input, height: c.size.0, width: c.size.1, layer: c.description))
    }

    public func make(_ c: Configuration) throws -> Module { try AdaptiveAvgPool2d(outputSize: c.size) }

    public func examples() throws -> [LayerExample] {
        [LayerExample(ModuleArguments([.int(1)]), inputShape: [2, 3, 5, 5]),
         LayerExample(ModuleArguments([.list([.int(2), .int(3)])]), inputShape: [3, 7, 6])]
    }
}
