import Architectures
import NNCore
import NNModules

/// The convolutional workloads: torchvision's classifiers in eval mode on one 224×224 image (PyTorch's init, so
/// no checkpoint is needed; the work is the same as with trained weights).
enum VisionWorkloads {
    /// The time (median, minimum, runs) of one forward pass of `name` on a [1, 3, 224, 224] image, without gradients.
    static func forward(_ name: VisionArchitectureName, _ stopwatch: Stopwatch) throws -> Timing {
        let model = try Tensor.withSeededGenerator(4) { try VisionArchitecture.build(name) }
        model.eval()
        var generator = SeededGenerator(seed: 5)
        let image = Tensor.randn([1, 3, 224, 224], generator: &generator)
        return try stopwatch.measure {
            _ = try Autograd.noGrad { try model(image) }
        }
    }
}
