@testable import NNCore
import Testing

/// The packed convolution kernels (`ConvolutionFastPath`: AVX2 + FMA and AVX-512) against the portable im2col +
/// matmul path on the same inputs: every kind of window walk (strides, padding on each side, dilation, groups,
/// depthwise 3×3 with stride 1 and 2), ragged tiles (output channels not a multiple of 6 or 8, planes not a
/// multiple of 16 or 32, rows shorter than one vector, more than one depth block and column block), one and two
/// threads. A kernel this CPU does not run is skipped (and says so).
@Suite("Packed convolution kernels against the portable path")
struct ConvolutionFastPathTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let batch, channels, height, width, outChannels, kernel, stride, padding, dilation, groups: Int
        let hasBias: Bool
        var testDescription: String {
            "\(batch)×\(channels)×\(height)×\(width) → \(outChannels), k\(kernel) s\(stride) p\(padding) d\(dilation) g\(groups)"
        }
    }

    static let cases: [Case] = [
        // pointwise (no padding, no copy), ragged channels and positions
        Case(batch: 2, channels: 5, height: 7, width: 9, outChannels: 13, kernel: 1, stride: 1, padding: 0, dilation: 1, groups: 1, hasBias: true),
        // ResNet's 3×3 with several depth blocks (64·9 = 576) and column blocks (1 × 24 × 24 = 576 positions)
        Case(batch: 1, channels: 64, height: 24, width: 24, outChannels: 24, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1, hasBias: false),
        // large enough for two threads, split by positions
        Case(batch: 1, channels: 16, height: 40, width: 40, outChannels: 32, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1, hasBias: true),
        // small planes, many channels: two threads split by output channels, with a ragged last tile
        Case(batch: 1, channels: 96, height: 7, width: 7, outChannels: 100, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1, hasBias: true),
        // the stem: 7×7 stride 2 padding 3 on an odd size
        Case(batch: 1, channels: 3, height: 37, width: 35, outChannels: 16, kernel: 7, stride: 2, padding: 3, dilation: 1, groups: 1, hasBias: false),
        // strided 1×1 (a downsample) and a dilated 3×3
        Case(batch: 2, channels: 8, height: 11, width: 10, outChannels: 16, kernel: 1, stride: 2, padding: 0, dilation: 1, groups: 1, hasBias: false),
        Case(batch: 1, channels: 6, height: 12, width: 13, outChannels: 9, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 1, hasBias: true),
        // grouped (not depthwise)
        Case(batch: 2, channels: 8, height: 9, width: 9, outChannels: 12, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 2, hasBias: true),
        // depthwise 3×3, stride 1 and 2, widths around the 16-lane vectors, and large enough for two threads
        Case(batch: 2, channels: 5, height: 17, width: 33, outChannels: 5, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 5, hasBias: true),
        Case(batch: 1, channels: 4, height: 16, width: 35, outChannels: 4, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 4, hasBias: false),
        Case(batch: 1, channels: 64, height: 56, width: 56, outChannels: 64, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 64, hasBias: true),
        Case(batch: 1, channels: 32, height: 30, width: 30, outChannels: 32, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 32, hasBias: false),
        // depthwise rows shorter than one vector (masked loads only), odd widths with stride 2
        Case(batch: 1, channels: 3, height: 6, width: 5, outChannels: 3, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 3, hasBias: true),
        Case(batch: 2, channels: 3, height: 9, width: 7, outChannels: 3, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 3, hasBias: true),
        Case(batch: 1, channels: 2, height: 13, width: 19, outChannels: 2, kernel: 3, stride: 2, padding: 0, dilation: 1, groups: 2, hasBias: false),
        // a depthwise 3×3 the direct loop does not take (dilation 2): the packed product, one channel per group
        Case(batch: 1, channels: 4, height: 11, width: 12, outChannels: 4, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 4, hasBias: true),
        // narrow outputs (fewer positions than one panel) with a ragged row tile and a stride-3 walk
        Case(batch: 1, channels: 7, height: 5, width: 4, outChannels: 11, kernel: 2, stride: 3, padding: 1, dilation: 1, groups: 1, hasBias: true),
        // depthwise 5×5 (MobileNetV3-like): the generic packed product with one channel per group
        Case(batch: 1, channels: 3, height: 9, width: 10, outChannels: 3, kernel: 5, stride: 2, padding: 2, dilation: 1, groups: 3, hasBias: true),
    ]

    @Test(arguments: cases, [ConvolutionKernel.avx2, .avx512])
    func matchesThePortablePath(_ c: Case, _ kernel: ConvolutionKernel) throws {
        guard kernel.isSupported else {
            print("ConvolutionFastPathTests: this CPU does not run the \(kernel) kernels, not tested here")
            return
        }
        var generator = SeededGenerator(seed: 71)
        let x = Tensor.randn([c.batch, c.channels, c.height, c.width], generator: &generator)
        let weight = Tensor.randn([c.outChannels, c.channels / c.groups, c.kernel, c.kernel], generator: &generator)
        let bias = Tensor.randn([c.outChannels], generator: &generator)
        let expected = try conv2d(x, weight: weight, bias: c.hasBias ? bias : nil, stride: (c.stride, c.stride),
                                  padding: .explicit(c.padding, c.padding), dilation: (c.dilation, c.dilation),
                                  groups: c.groups)
        #expect(ConvolutionKernel.matching(.best) == .im2col)  // debug builds: conv2d above ran the portable path
        let geometry = WindowGeometry(inputHeight: c.height, inputWidth: c.width,
                                      outputHeight: expected.shape[2], outputWidth: expected.shape[3],
                                      kernelHeight: c.kernel, kernelWidth: c.kernel, strideHeight: c.stride,
                                      strideWidth: c.stride, padTop: c.padding, padLeft: c.padding,
                                      dilationHeight: c.dilation, dilationWidth: c.dilation)
        let convolution = Convolution(geometry: geometry, batch: c.batch, channels: c.channels,
                                      outChannels: c.outChannels, groups: c.groups)
        // The output between two guard zones of NaN that must stay untouched (masked stores past a ragged edge).
        let guardCount = 64
        let buffer = Tensor.full([expected.count + 2 * guardCount], value: .nan)
        convolution.forward(x: x.contiguousData().base, weight: weight.contiguousData().base,
                            bias: c.hasBias ? bias.contiguousData().base : nil, out: buffer.base + guardCount,
                            kernel: kernel)
        let all = buffer.toArray(), want = expected.toArray()
        let got = Array(all[guardCount ..< guardCount + want.count])
        let allWritten = got.allSatisfy { $0.isFinite }
        #expect(allWritten, "\(c.testDescription) \(kernel): an output was not written")
        let guardsKept = all[..<guardCount].allSatisfy(\.isNaN) && all[(guardCount + want.count)...].allSatisfy(\.isNaN)
        #expect(guardsKept, "\(c.testDescription) \(kernel): wrote outside its output")
        let depth = Float(c.channels / c.groups * c.kernel * c.kernel)
        var worst: Float = 0
        for i in want.indices {
            worst = Swift.max(worst, Swift.abs(got[i] - want[i]) / (1 + Swift.abs(want[i])))
        }
        #expect(worst <= 2e-6 * depth.squareRoot() + 1e-6, "\(c.testDescription) \(kernel): worst relative difference \(worst)")
    }

    /// The portable variant always means im2col, and any faster one the widest kernel this CPU runs.
    @Test func kernelFollowsTheProductVariant() {
        #expect(ConvolutionKernel.matching(.portable) == .im2col)
        let fast = ConvolutionKernel.matching(.avx2FMA)
        #expect(fast.isSupported)
        if !CPUFeatureLimit.avx2Only && ConvolutionKernel.avx512.isSupported { #expect(fast == .avx512) }
        if CPUFeatureLimit.avx2Only && ConvolutionKernel.avx2.isSupported { #expect(fast == .avx2) }
        if !ConvolutionKernel.avx2.isSupported && !ConvolutionKernel.avx512.isSupported { #expect(fast == .im2col) }
    }
}
