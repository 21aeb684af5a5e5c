import CNNKernels

/// Pointers one convolution's threads share: `@unchecked Sendable` because the threads only read `x`, `weight`
/// and `bias` and write disjoint parts of `out`, and the caller keeps all four alive until they finish.
private struct ConvolutionOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let out: UnsafeMutablePointer<Float>
}

/// The forward pass on CPUs with AVX-512 (`CNNConvolution.h`): each group is one product whose unfolded input
/// is packed panel by panel straight from the zero-padded input (no im2col matrix, the weight read in place),
/// split over both cores by output positions (or output channels when the planes are small); a depthwise 3×3
/// with stride 1 or 2 runs as a direct vector loop over rows. It rounds differently from the portable path
/// (fused multiply-adds, another summation order), so it is a variant like the products' AVX2 one: used when
/// the products use their fastest variant, never in debug builds, where results must not depend on the CPU.
extension Convolution {
    /// Whether this CPU runs the AVX-512 convolution kernels (read once).
    static let fastPathSupported: Bool = cnn_conv_avx512_supported() != 0

    /// Whether `variant` selects the fast path on this CPU.
    static func usesFastPath(_ variant: KernelVariant) -> Bool {
        variant != .portable && fastPathSupported
    }

    /// A depthwise 3×3 with equal strides of 1 or 2 and no dilation: the direct vector loop applies.
    var isDirectDepthwise: Bool {
        isDepthwise && geometry.kernelHeight == 3 && geometry.kernelWidth == 3
            && geometry.dilationHeight == 1 && geometry.dilationWidth == 1
            && geometry.strideHeight == geometry.strideWidth && (geometry.strideHeight == 1 || geometry.strideHeight == 2)
    }

    /// Padding below and right that the last windows reach (the geometry keeps only top and left).
    private var padBottom: Int {
        Swift.max(0, (geometry.outputHeight - 1) * geometry.strideHeight
                      + (geometry.kernelHeight - 1) * geometry.dilationHeight + 1 - geometry.padTop - geometry.inputHeight)
    }
    private var padRight: Int {
        Swift.max(0, (geometry.outputWidth - 1) * geometry.strideWidth
                      + (geometry.kernelWidth - 1) * geometry.dilationWidth + 1 - geometry.padLeft - geometry.inputWidth)
    }

    /// The forward pass with the AVX-512 kernels (the caller checked `usesFastPath`).
    func fastForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                     out: UnsafeMutablePointer<Float>) {
        let bottom = padBottom, right = padRight
        let paddedHeight = geometry.padTop + geometry.inputHeight + bottom
        let paddedWidth = geometry.padLeft + geometry.inputWidth + right
        let needsPadding = paddedHeight != geometry.inputHeight || paddedWidth != geometry.inputWidth
        let paddedPlane = paddedHeight * paddedWidth
        // A tensor's storage, so the buffer comes back from the pool on the next call rather than fresh pages.
        let paddedStorage = Tensor.uninitialized([needsPadding ? channels * paddedPlane : 0])
        let padded = paddedStorage.base
        defer { withExtendedLifetime(paddedStorage) {} }
        let plane = geometry.outputPlane
        for n in 0 ..< batch {
            var sample = x + n * channels * geometry.inputPlane
            if needsPadding {
                cnn_pad_planes(sample, padded, channels, geometry.inputHeight, geometry.inputWidth,
                               geometry.padTop, geometry.padLeft, bottom, right)
                sample = UnsafePointer(padded)
            }
            let output = out + n * outChannels * plane
            if isDirectDepthwise {
                let operands = ConvolutionOperands(x: sample, weight: weight, bias: bias, out: output)
                let (h, w, oh, ow) = (paddedHeight, paddedWidth, geometry.outputHeight, geometry.outputWidth)
                let stride = geometry.strideHeight
                let parts = channels * plane * 9 >= Self.parallelThreshold ? PackedGemm.processorCount : 1
                let body: @Sendable (Int, Int) -> Void = { first, count in
                    let source: UnsafePointer<Float> = operands.x + first * h * w
                    let taps: UnsafePointer<Float> = operands.weight + first * 9
                    let shift: UnsafePointer<Float>? = operands.bias.map { $0 + first }
                    let target: UnsafeMutablePointer<Float> = operands.out + first * oh * ow
                    cnn_depthwise3x3_avx512(source, taps, shift, target, count, h, w, oh, ow, stride)
                }
                if parts > 1 { forEachParallelPart(of: channels, unit: 1, parts: parts, body) } else { body(0, channels) }
                continue
            }
            var shape = cnn_conv_shape(channels: groupChannels, input_h: paddedHeight, input_w: paddedWidth,
                                       output_h: geometry.outputHeight, output_w: geometry.outputWidth,
                                       kernel_h: geometry.kernelHeight, kernel_w: geometry.kernelWidth,
                                       stride_h: geometry.strideHeight, stride_w: geometry.strideWidth,
                                       dilation_h: geometry.dilationHeight, dilation_w: geometry.dilationWidth)
            for g in 0 ..< groups {
                let operands = ConvolutionOperands(x: sample + g * groupChannels * paddedPlane,
                                                   weight: weight + g * groupOutChannels * patchSize,
                                                   bias: bias.map { $0 + g * groupOutChannels },
                                                   out: output + g * groupOutChannels * plane)
                let m = groupOutChannels
                let work = m * plane * patchSize
                let threads = work >= Self.parallelThreshold ? PackedGemm.processorCount : 1
                // Positions when there are at least two 32-wide panels per thread, else output channels.
                let splitPositions = plane >= 64 * threads || m < 16
                withUnsafePointer(to: &shape) { shapePointer in
                    let shapeAddress = ShapeAddress(pointer: shapePointer)
                    let body: @Sendable (Int, Int) -> Void = { first, count in
                        if splitPositions {
                            cnn_conv_forward_avx512(shapeAddress.pointer, operands.x, operands.weight, operands.bias,
                                                    operands.out, 0, m, first, count)
                        } else {
                            cnn_conv_forward_avx512(shapeAddress.pointer, operands.x, operands.weight, operands.bias,
                                                    operands.out, first, count, 0, plane)
                        }
                    }
                    if threads > 1 {
                        forEachParallelPart(of: splitPositions ? plane : m, unit: splitPositions ? 32 : 8,
                                            parts: threads, body)
                    } else {
                        body(0, splitPositions ? plane : m)
                    }
                }
            }
        }
    }

    /// Multiply-adds below which a second thread costs more than it saves.
    static let parallelThreshold = 400_000
}

/// The read-only geometry handed to every thread (`@unchecked Sendable`: it outlives the parallel loop).
private struct ShapeAddress: @unchecked Sendable {
    let pointer: UnsafePointer<cnn_conv_shape>
}
