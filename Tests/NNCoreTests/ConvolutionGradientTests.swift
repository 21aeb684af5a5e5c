import NNCore
import Testing
import TestSupport

/// Finite-difference checks of the CNN ops' backward rules (their values are checked against PyTorch in
/// ModelFilesTests' CNNOpReferenceTests).
@Suite struct ConvolutionGradientTests {
    /// One convolution's arguments.
    struct ConvCase: Sendable {
        let shape: [Int], outChannels: Int, kernel: (Int, Int), stride: (Int, Int), padding: Conv2dPadding
        let dilation: (Int, Int), groups: Int, hasBias: Bool
    }

    static let convCases = [
        ConvCase(shape: [2, 3, 5, 4], outChannels: 4, kernel: (3, 2), stride: (1, 1), padding: .valid, dilation: (1, 1), groups: 1, hasBias: true),
        ConvCase(shape: [1, 2, 6, 5], outChannels: 3, kernel: (3, 3), stride: (2, 1), padding: .explicit(1, 2), dilation: (1, 1), groups: 1, hasBias: false),
        ConvCase(shape: [1, 2, 7, 6], outChannels: 2, kernel: (2, 2), stride: (1, 2), padding: .explicit(1, 0), dilation: (2, 2), groups: 1, hasBias: true),
        ConvCase(shape: [2, 4, 5, 5], outChannels: 6, kernel: (3, 3), stride: (1, 1), padding: .explicit(1, 1), dilation: (1, 1), groups: 2, hasBias: true),
        // depthwise, then depthwise with a channel multiplier of 2
        ConvCase(shape: [2, 3, 6, 5], outChannels: 3, kernel: (3, 3), stride: (2, 2), padding: .explicit(1, 1), dilation: (1, 1), groups: 3, hasBias: true),
        ConvCase(shape: [1, 2, 5, 5], outChannels: 4, kernel: (3, 3), stride: (1, 1), padding: .explicit(1, 1), dilation: (1, 1), groups: 2, hasBias: false),
        ConvCase(shape: [1, 2, 5, 6], outChannels: 3, kernel: (4, 3), stride: (1, 1), padding: .same, dilation: (1, 1), groups: 1, hasBias: true),
    ]

    @Test(arguments: convCases.indices)
    func conv2dGradients(_ index: Int) throws {
        let c = Self.convCases[index]
        let x = sample(c.shape, seed: 1)
        let w = sample([c.outChannels, c.shape[1] / c.groups, c.kernel.0, c.kernel.1], seed: 2)
        let b = sample([c.outChannels], seed: 3)
        try checkGradients(c.hasBias ? [x, w, b] : [x, w]) { t in
            try conv2d(t[0], weight: t[1], bias: c.hasBias ? t[2] : nil, stride: c.stride, padding: c.padding,
                       dilation: c.dilation, groups: c.groups)
        }
    }

    @Test func conv2dOfOneSampleIsTheBatchedResult() throws {
        let x = sample([3, 5, 5], seed: 4), w = sample([2, 3, 3, 3], seed: 5)
        let single = try conv2d(x, weight: w, padding: .explicit(1, 1))
        let batched = try conv2d(x.unsqueeze(0), weight: w, padding: .explicit(1, 1))
        #expect(single.shape == [2, 5, 5])
        #expect(single.toArray() == batched.toArray())
    }

    @Test func conv2dRejectsWrongShapes() throws {
        let x = sample([1, 4, 5, 5], seed: 1)
        #expect(throws: TensorError.self) { try conv2d(x, weight: sample([2, 3, 3, 3], seed: 2)) }
        #expect(throws: TensorError.self) { try conv2d(x, weight: sample([3, 2, 3, 3], seed: 2), groups: 2) }
        #expect(throws: TensorError.self) { try conv2d(x, weight: sample([2, 4, 7, 7], seed: 2)) }
        #expect(throws: TensorError.self) { try conv2d(x, weight: sample([2, 4, 3, 3], seed: 2), stride: (2, 2), padding: .same) }
        #expect(throws: TensorError.self) { try conv2d(x, weight: sample([2, 4, 3, 3], seed: 2), stride: (0, 1)) }
    }

    @Test func maxPoolGradients() throws {
        // Distinct values so that finite differences never cross a tie.
        let x = try Tensor((0 ..< 2 * 2 * 7 * 6).map { Float(($0 * 37) % 83) / 10 }, shape: [2, 2, 7, 6])
        try checkGradients([x]) { try maxPool2d($0[0], kernel: (3, 2), stride: (2, 1), padding: (1, 1), ceilMode: true) }
        try checkGradients([x]) { try maxPool2d($0[0], kernel: (2, 2), stride: (1, 1), dilation: (2, 2)) }
    }

    @Test func avgPoolGradients() throws {
        let x = sample([2, 2, 7, 6], seed: 6)
        try checkGradients([x]) { try avgPool2d($0[0], kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true) }
        try checkGradients([x]) {
            try avgPool2d($0[0], kernel: (3, 2), stride: (2, 2), padding: (1, 1), countIncludePad: false)
        }
        try checkGradients([x]) { try adaptiveAvgPool2d($0[0], outputSize: (3, 4)) }
        try checkGradients([x]) { try adaptiveAvgPool2d($0[0], outputSize: (1, 1)) }
    }

    @Test func batchNormGradients() throws {
        let x = sample([3, 2, 3, 2], seed: 7), w = sample([2], seed: 8), b = sample([2], seed: 9)
        try checkGradients([x, w, b]) { t in
            try batchNorm(t[0], runningMean: nil, runningVar: nil, weight: t[1], bias: t[2], training: true)
        }
        let mean = sample([2], seed: 10), variance = sample([2], seed: 11, low: 0.5, high: 2)
        try checkGradients([x, w, b]) { t in
            try batchNorm(t[0], runningMean: mean, runningVar: variance, weight: t[1], bias: t[2], training: false)
        }
        try checkGradients([sample([4, 3], seed: 12)]) { t in
            try batchNorm(t[0], runningMean: nil, runningVar: nil, training: true)
        }
    }

    @Test func batchNormUpdatesRunningStatisticsWithTheUnbiasedVariance() throws {
        // Channel 0 holds 1, 2, 3, 4: mean 2.5, unbiased variance 5/3.
        let x = try Tensor([1, 2, 3, 4], shape: [2, 1, 2, 1])
        let mean = Tensor.zeros([1]), variance = Tensor.ones([1])
        _ = try batchNorm(x, runningMean: mean, runningVar: variance, training: true, averageFactor: 0.1)
        #expect(abs(try mean.item() - 0.25) < 1e-6)
        #expect(abs(try variance.item() - (0.9 + 0.1 * 5 / 3)) < 1e-6)
        #expect(throws: TensorError.self) { try batchNorm(Tensor.ones([1, 3]), runningMean: nil, runningVar: nil, training: true) }
    }

    @Test func activationGradients() throws {
        // Away from the kinks at −6, −3, 0, 3, 6 so finite differences see one side only.
        let x = try Tensor((0 ..< 30).map { Float($0) * 0.53 - 7.9 }, shape: [5, 6])
        try checkGradients([x]) { $0[0].relu6() }
        try checkGradients([x]) { $0[0].hardswish() }
        try checkGradients([x]) { $0[0].hardsigmoid() }
        try checkGradients([x]) { $0[0].silu() }
    }
}
