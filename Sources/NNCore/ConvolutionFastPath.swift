import CNNKernels

/// Pointers one convolution's threads share: `@unchecked Sendable` because the threads only read `x`, `weight`
/// and `bias` and write disjoint parts of `out`, and the caller keeps all four alive until they finish.
private struct ConvolutionOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let out: UnsafeMutablePointer<Float>
}

/// Which loops run a convolution's forward pass.
package enum ConvolutionKernel: Sendable, CaseIterable, CustomStringConvertible {
    /// Per sample and group an im2col buffer times the weight through `matmulKernel` (depthwise: a direct loop
    /// per channel). Any CPU; the only one in debug builds.
    case im2col
    /// `CNNConvolution.h`'s AVX2 + FMA kernels: 6×16 register tiles over 16-column panels packed straight from
    /// the zero-padded input, direct depthwise 3×3.
    case avx2
    /// The AVX-512 kernels: 8×32 tiles over 32-column panels, direct depthwise 3×3.
    case avx512

    /// Whether this CPU runs the kernel (read once).
    package var isSupported: Bool {
        switch self {
        case .im2col: true
        case .avx2: Self.avx2Supported
        case .avx512: Self.avx512Supported
        }
    }

    private static let avx2Supported = cnn_conv_avx2_supported() != 0
    private static let avx512Supported = cnn_conv_avx512_supported() != 0

    /// The kernel that goes with the products' `variant`: im2col with the portable variant (debug builds, where
    /// results must not depend on the CPU), else the widest this CPU runs — AVX2 at most under `NNVIEW_CPU=avx2`
    /// (`CPUFeatureLimit`). The packed kernels round differently from the portable path (fused multiply-adds,
    /// another summation order), so they are variants like the products' own.
    package static func matching(_ variant: KernelVariant) -> ConvolutionKernel {
        if variant == .portable { return .im2col }
        if avx512Supported && !CPUFeatureLimit.avx2Only { return .avx512 }
        return avx2Supported ? .avx2 : .im2col
    }

    package var description: String {
        switch self {
        case .im2col: "im2col"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// Rows (output channels) and columns (output positions) of one register tile.
    fileprivate var tile: (rows: Int, columns: Int) {
        self == .avx512 ? (8, 32) : (6, 16)
    }
}

/// The forward pass with the packed kernels (`ConvolutionKernel.avx2` or `.avx512`): each group is one product
/// whose unfolded input is packed panel by panel straight from the zero-padded input (no im2col matrix, the
/// weight read in place), split over both cores by output positions (or output channels when the planes are
/// small); a depthwise 3×3 with stride 1 or 2 runs as a direct vector loop over rows.
extension Convolution {
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

    /// The forward pass with `kernel` (`.avx2` or `.avx512`, supported by this CPU).
    func packedForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                       out: UnsafeMutablePointer<Float>, kernel: ConvolutionKernel) {
        precondition(kernel != .im2col && kernel.isSupported, "Convolution.packedForward: \(kernel) cannot run here")
        let wide = kernel == .avx512
        let tile = kernel.tile
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
                    if wide {
                        cnn_depthwise3x3_avx512(source, taps, shift, target, count, h, w, oh, ow, stride)
                    } else {
                        cnn_depthwise3x3_avx2(source, taps, shift, target, count, h, w, oh, ow, stride)
                    }
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
                // Positions when there are at least two panels per thread, else output channels.
                let splitPositions = plane >= 2 * tile.columns * threads || m < 2 * tile.rows
                withUnsafePointer(to: &shape) { shapePointer in
                    let shapeAddress = ShapeAddress(pointer: shapePointer)
                    let body: @Sendable (Int, Int) -> Void = { first, count in
                        let (mFirst, mCount) = splitPositions ? (0, m) : (first, count)
                        let (nFirst, nCount) = splitPositions ? (first, count) : (0, plane)
                        if wide {
                            cnn_conv_forward_avx512(shapeAddress.pointer, operands.x, operands.weight, operands.bias,
                                                    operands.out, mFirst, mCount, nFirst, nCount)
                        } else {
                            cnn_conv_forward_avx2(shapeAddress.pointer, operands.x, operands.weight, operands.bias,
                                                  operands.out, mFirst, mCount, nFirst, nCount)
                        }
                    }
                    if threads > 1 {
                        forEachParallelPart(of: splitPositions ? plane : m,
                                            unit: splitPositions ? tile.columns : tile.rows, parts: threads, body)
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
