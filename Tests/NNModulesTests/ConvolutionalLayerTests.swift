import NNCore
import NNModules
import Testing

/// The CNN layers: PyTorch's state-dict names, BatchNorm2d's modes and buffers, shape errors.
@Suite struct ConvolutionalLayerTests {
    @Test func batchNormCountsBatchesAndUpdatesStatisticsOnlyInTraining() throws {
        let norm = try BatchNorm2d(2)
        #expect(norm.stateDict().keys == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        let x = try Tensor((0 ..< 16).map { Float($0) }, shape: [2, 2, 2, 2])
        let trained = try norm(x)
        #expect(try #require(norm.buffer("num_batches_tracked")).item() == 1)
        // Channel 0 holds 0…3 and 8…11: mean 5.5, unbiased variance 138/7
        let mean = try #require(norm.buffer("running_mean")).toArray()
        #expect(abs(mean[0] - 0.55) < 1e-6)
        let variance = try #require(norm.buffer("running_var")).toArray()
        #expect(abs(variance[0] - (0.9 + 0.1 * 138.0 / 7)) < 1e-5)
        #expect(abs(trained.toArray().reduce(0, +)) < 1e-4, "batch statistics normalise to mean 0")

        norm.eval()
        let evaluated = try norm(x)
        #expect(try #require(norm.buffer("num_batches_tracked")).item() == 1, "evaluation does not count")
        #expect(try #require(norm.buffer("running_mean")).toArray() == mean)
        let expected = (x.toArray()[0] - mean[0]) / (variance[0] + 1e-5).squareRoot()
        #expect(abs(evaluated.toArray()[0] - expected) < 1e-5)
        norm.train()
        #expect(norm.isTraining)
    }

    @Test func cumulativeMomentumAveragesEveryBatch() throws {
        let norm = try BatchNorm2d(1, momentum: nil)
        _ = try norm(try Tensor([1, 3], shape: [2, 1, 1, 1]))
        _ = try norm(try Tensor([5, 7], shape: [2, 1, 1, 1]))
        // factor 1 then 1/2: running mean = (2 + 6) / 2
        #expect(try #require(norm.buffer("running_mean")).toArray() == [4])
        #expect(try #require(norm.buffer("num_batches_tracked")).item() == 2)
    }

    @Test func convolutionLayerNamesAndShapes() throws {
        let conv = try Conv2d(4, 8, kernelSize: 3, stride: 2, padding: 1, groups: 2, bias: false)
        #expect(conv.stateDict().keys == ["weight"])
        #expect(try conv.parameter("weight").shape == [8, 2, 3, 3])
        #expect(conv.extraDescription == "4, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), groups=2, bias=False")
        #expect(try conv(Tensor.ones([1, 4, 9, 9])).shape == [1, 8, 5, 5])
        #expect(throws: ModuleError.self) { try conv(Tensor.ones([1, 3, 9, 9])) }
        #expect(throws: ModuleError.self) { try Conv2d(3, 8, kernelSize: 3, groups: 2) }
        #expect(throws: ModuleError.self) { try BatchNorm2d(2)(Tensor.ones([2, 2])) }
        #expect(try MaxPool2d(kernelSize: (2, 2))(Tensor.ones([1, 1, 5, 5])).shape == [1, 1, 2, 2])
        #expect(try AvgPool2d(kernelSize: (2, 2), ceilMode: true)(Tensor.ones([1, 1, 5, 5])).shape == [1, 1, 3, 3])
        #expect(try AdaptiveAvgPool2d(outputSize: (1, 1))(Tensor.ones([2, 3, 5, 5])).shape == [2, 3, 1, 1])
    }
}
