/// How `conv2d` pads its input: explicit sizes per side (`.explicit(height, width)`, both sides alike), or
/// PyTorch's `'same'` (stride 1 only; output as large as the input, the odd extra row or column at the bottom and
/// right) and `'valid'` (no padding).
public enum Conv2dPadding: Sendable, Equatable {
    /// The same padding above and below (`height`), left and right (`width`).
    case explicit(Int, Int)
    /// Output size equal to input size (stride 1).
    case same
    /// No padding.
    case valid
}

/// The sizes of one 2-d convolution or pooling window walk: input and output extents, kernel, stride, padding
/// (top and left; the bottom and right padding only matter through the output size), dilation.
struct WindowGeometry: Sendable {
    let inputHeight, inputWidth: Int
    let outputHeight, outputWidth: Int
    let kernelHeight, kernelWidth: Int
    let strideHeight, strideWidth: Int
    let padTop, padLeft: Int
    let dilationHeight, dilationWidth: Int

    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    var kernelArea: Int { kernelHeight * kernelWidth }

    /// PyTorch's output size of a window walk: ⌊(in + padding − dilation·(k − 1) − 1) / stride⌋ + 1, or with
    /// `ceilMode` rounded up, minus one when the last window would start inside the right padding only.
    static func outputSize(input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int, dilation: Int,
                           ceilMode: Bool = false) -> Int {
        let span = input + padBefore + padAfter - dilation * (kernel - 1) - 1
        if span < 0 { return 0 }
        var size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode && (size - 1) * stride >= input + padBefore { size -= 1 }
        return size
    }
}

/// Checks that every value in `values` is at least `minimum`, naming `what` in the error.
func requireAtLeast(_ minimum: Int, _ values: [Int], _ what: String, op: String) throws {
    for value in values where value < minimum {
        throw TensorError(op, "\(what) must be at least \(minimum), got \(value)")
    }
}

/// 2-d convolution (cross-correlation) of `x` [N, C, H, W] with `weight` [O, C/groups, kH, kW] plus an optional
/// `bias` [O], like `F.conv2d`. A 3-d input [C, H, W] is one unbatched sample, as in PyTorch.
///
/// Each group is a matrix product: the input's windows are unfolded into a [C/groups·kH·kW, Hout·Wout] matrix
/// (im2col, in one buffer reused for every sample and group) and multiplied by the weight [O/groups, C/groups·kH·kW]
/// with the shared matmul kernel (a 1×1 convolution with stride 1 multiplies the input planes as they are). A
/// depthwise convolution (one input channel per group) has nothing to share
/// between channels, so it runs as a direct loop over each channel's windows instead.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                   padding: Conv2dPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
    let op = "conv2d"
    if x.rank == 3 {
        let batched = try conv2d(x.unsqueeze(0), weight: weight, bias: bias, stride: stride, padding: padding,
                                 dilation: dilation, groups: groups)
        return try batched.squeeze(dim: 0)
    }
    guard x.rank == 4 else {
        throw TensorError(op, "expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got \(shapeText(x.shape))")
    }
    guard weight.rank == 4 else {
        throw TensorError(op, "weight must be 4-d [out, in/groups, kH, kW], got \(shapeText(weight.shape))")
    }
    try requireAtLeast(1, [stride.0, stride.1], "stride", op: op)
    try requireAtLeast(1, [dilation.0, dilation.1], "dilation", op: op)
    try requireAtLeast(1, [groups], "groups", op: op)
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, groupChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    guard channels % groups == 0, outChannels % groups == 0, groupChannels * groups == channels else {
        throw TensorError(op, "input \(shapeText(x.shape)) with groups=\(groups) does not fit weight \(shapeText(weight.shape)) "
                          + "(expected \(channels) input channels = weight.shape[1] · groups, out channels divisible by groups)")
    }
    if let bias, bias.shape != [outChannels] {
        throw TensorError(op, "bias must have shape [\(outChannels)], got \(shapeText(bias.shape))")
    }
    let pads: (top: Int, left: Int, bottom: Int, right: Int)
    switch padding {
    case .explicit(let h, let w):
        try requireAtLeast(0, [h, w], "padding", op: op)
        pads = (h, w, h, w)
    case .valid:
        pads = (0, 0, 0, 0)
    case .same:
        guard stride == (1, 1) else { throw TensorError(op, "padding='same' is not supported for strided convolutions") }
        let totalH = dilation.0 * (kernelHeight - 1), totalW = dilation.1 * (kernelWidth - 1)
        pads = (totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2)
    }
    let outHeight = WindowGeometry.outputSize(input: height, kernel: kernelHeight, stride: stride.0, padBefore: pads.top,
                                              padAfter: pads.bottom, dilation: dilation.0)
    let outWidth = WindowGeometry.outputSize(input: width, kernel: kernelWidth, stride: stride.1, padBefore: pads.left,
                                             padAfter: pads.right, dilation: dilation.1)
    guard outHeight > 0, outWidth > 0 else {
        throw TensorError(op, "input \(shapeText(x.shape)) is smaller than the kernel \(kernelHeight)×\(kernelWidth) "
                          + "(dilation \(dilation.0)×\(dilation.1), padding \(pads.top)×\(pads.left))")
    }
    let outShape = [batch, outChannels, outHeight, outWidth]
    _ = try checkedCount(outShape, op: op)
    let geometry = WindowGeometry(inputHeight: height, inputWidth: width, outputHeight: outHeight, outputWidth: outWidth,
                                  kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: stride.0,
                                  strideWidth: stride.1, padTop: pads.top, padLeft: pads.left,
                                  dilationHeight: dilation.0, dilationWidth: dilation.1)
    let convolution = Convolution(geometry: geometry, batch: batch, channels: channels, outChannels: outChannels,
                                  groups: groups)
    let xc = x.contiguousData(), wc = weight.contiguousData()
    let out = Tensor.uninitialized(outShape)
    convolution.forward(x: xc.base, weight: wc.base, bias: bias?.contiguousData().base, out: out.base)
    if Tensor.recording(x, weight, bias) {
        let xShape = x.shape, weightShape = weight.shape
        out.record("ConvolutionBackward0", x, weight, bias) { node, g in
            let gc = g.contiguousData()
            var gx: Tensor?, gw: Tensor?, gb: Tensor?
            if node.needs(0) {
                let t = Tensor.zeros(xShape)
                convolution.inputGradient(outputGradient: gc.base, weight: wc.base, into: t.base)
                gx = t
            }
            if node.needs(1) {
                let t = Tensor.zeros(weightShape)
                convolution.weightGradient(outputGradient: gc.base, x: xc.base, into: t.base)
                gw = t
            }
            if node.needs(2) {
                let t = Tensor.zeros([outChannels])
                let plane = geometry.outputPlane
                for n in 0 ..< batch {
                    for o in 0 ..< outChannels {
                        let row = gc.base + (n * outChannels + o) * plane
                        var sum: Float = 0
                        for i in 0 ..< plane { sum += row[i] }
                        t.base[o] += sum
                    }
                }
                gb = t
            }
            return InputGradients(gx, gw, gb)
        }
    }
    return out
}

/// The arithmetic of one convolution over contiguous buffers: forward, and the input and weight gradients.
struct Convolution {
    let geometry: WindowGeometry
    let batch, channels, outChannels, groups: Int

    var groupChannels: Int { channels / groups }
    var groupOutChannels: Int { outChannels / groups }
    /// Rows of the unfolded input: one per (input channel of the group, kernel row, kernel column).
    var patchSize: Int { groupChannels * geometry.kernelArea }
    /// One input channel and one output channel per group: the direct loop applies.
    var isDepthwise: Bool { groupChannels == 1 && groupOutChannels == 1 }
    /// A 1×1 kernel with stride 1 and no padding: the input planes are already the unfolded matrix.
    var isPointwise: Bool {
        geometry.kernelArea == 1 && geometry.strideHeight == 1 && geometry.strideWidth == 1
            && geometry.padTop == 0 && geometry.padLeft == 0 && geometry.outputPlane == geometry.inputPlane
    }

    /// The forward pass with the kernel that goes with the products' `variant` (`ConvolutionKernel.matching`).
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 out: UnsafeMutablePointer<Float>, variant: KernelVariant = .best) {
        forward(x: x, weight: weight, bias: bias, out: out, kernel: ConvolutionKernel.matching(variant))
    }

    /// The forward pass with `kernel` (which this CPU must run).
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 out: UnsafeMutablePointer<Float>, kernel: ConvolutionKernel) {
        if kernel != .im2col {
            packedForward(x: x, weight: weight, bias: bias, out: out, kernel: kernel)
            return
        }
        let plane = geometry.outputPlane
        if isDepthwise {
            for n in 0 ..< batch {
                for c in 0 ..< channels {
                    depthwiseChannel(x + (n * channels + c) * geometry.inputPlane, weight + c * geometry.kernelArea,
                                     out + (n * channels + c) * plane, bias: bias?[c] ?? 0)
                }
            }
            return
        }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: isPointwise ? 0 : patchSize * plane)
        defer { columns.deallocate() }
        for n in 0 ..< batch {
            for g in 0 ..< groups {
                let source = x + (n * channels + g * groupChannels) * geometry.inputPlane
                if !isPointwise { unfold(source, into: columns) }
                let dst = out + (n * outChannels + g * groupOutChannels) * plane
                matmulKernel(a: weight + g * groupOutChannels * patchSize, b: isPointwise ? source : UnsafePointer(columns), c: dst,
                             m: groupOutChannels, n: plane, k: patchSize, transposeA: false, transposeB: false)
            }
            if let bias {
                for o in 0 ..< outChannels {
                    let row = out + (n * outChannels + o) * plane
                    let value = bias[o]
                    for i in 0 ..< plane { row[i] += value }
                }
            }
        }
    }

    /// dx (zeroed by the caller): per group Wᵀ·dy gives the unfolded gradient, folded back onto the input windows.
    func inputGradient(outputGradient g: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                       into gx: UnsafeMutablePointer<Float>) {
        let plane = geometry.outputPlane
        if isDepthwise {
            for n in 0 ..< batch {
                for c in 0 ..< channels {
                    depthwiseInputGradient(g + (n * channels + c) * plane, weight + c * geometry.kernelArea,
                                           gx + (n * channels + c) * geometry.inputPlane)
                }
            }
            return
        }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: isPointwise ? 0 : patchSize * plane)
        defer { columns.deallocate() }
        for n in 0 ..< batch {
            for group in 0 ..< groups {
                // Each group's input channels are its own, so a pointwise product can write them directly.
                let target = gx + (n * channels + group * groupChannels) * geometry.inputPlane
                matmulKernel(a: weight + group * groupOutChannels * patchSize,
                             b: g + (n * outChannels + group * groupOutChannels) * plane, c: isPointwise ? target : columns,
                             m: patchSize, n: plane, k: groupOutChannels, transposeA: true, transposeB: false)
                if !isPointwise { fold(columns, into: target) }
            }
        }
    }

    /// dW (zeroed by the caller): per sample and group dy·unfold(x)ᵀ, summed over the batch.
    func weightGradient(outputGradient g: UnsafePointer<Float>, x: UnsafePointer<Float>,
                        into gw: UnsafeMutablePointer<Float>) {
        let plane = geometry.outputPlane
        if isDepthwise {
            for n in 0 ..< batch {
                for c in 0 ..< channels {
                    depthwiseWeightGradient(g + (n * channels + c) * plane, x + (n * channels + c) * geometry.inputPlane,
                                            gw + c * geometry.kernelArea)
                }
            }
            return
        }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: isPointwise ? 0 : patchSize * plane)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: groupOutChannels * patchSize)
        defer { columns.deallocate(); product.deallocate() }
        for n in 0 ..< batch {
            for group in 0 ..< groups {
                let source = x + (n * channels + group * groupChannels) * geometry.inputPlane
                if !isPointwise { unfold(source, into: columns) }
                matmulKernel(a: g + (n * outChannels + group * groupOutChannels) * plane, b: isPointwise ? source : UnsafePointer(columns),
                             c: product,
                             m: groupOutChannels, n: patchSize, k: plane, transposeA: false, transposeB: true)
                axpy(1, product, gw + group * groupOutChannels * patchSize, groupOutChannels * patchSize)
            }
        }
    }

    /// The input rows (and column ranges) one kernel tap reads for each output row and column: index −1 where the
    /// tap falls into the padding.
    @inline(__always)
    private func inputRow(_ outputRow: Int, _ kernelRow: Int) -> Int {
        let row = outputRow * geometry.strideHeight - geometry.padTop + kernelRow * geometry.dilationHeight
        return row >= 0 && row < geometry.inputHeight ? row : -1
    }

    /// The range of output columns whose tap `kernelColumn` lands inside the input (the rest read padding).
    @inline(__always)
    private func validColumns(_ kernelColumn: Int) -> Range<Int> {
        let shift = kernelColumn * geometry.dilationWidth - geometry.padLeft
        // ow·s + shift ≥ 0  and  ow·s + shift < W
        let first = shift >= 0 ? 0 : (-shift + geometry.strideWidth - 1) / geometry.strideWidth
        let limit = geometry.inputWidth - shift
        let last = limit <= 0 ? 0 : (limit + geometry.strideWidth - 1) / geometry.strideWidth
        let upper = Swift.min(last, geometry.outputWidth)
        return first < upper ? first ..< upper : 0 ..< 0
    }

    /// im2col of one group of one sample: row (c, kh, kw) holds, for every output position, the input value the
    /// tap reads there (0 in the padding).
    private func unfold(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let outW = geometry.outputWidth, plane = geometry.outputPlane, strideW = geometry.strideWidth
        var row = columns
        for c in 0 ..< groupChannels {
            let channel = x + c * geometry.inputPlane
            for kh in 0 ..< geometry.kernelHeight {
                for kw in 0 ..< geometry.kernelWidth {
                    let valid = validColumns(kw)
                    let shift = kw * geometry.dilationWidth - geometry.padLeft
                    for oh in 0 ..< geometry.outputHeight {
                        let dst = row + oh * outW
                        let ih = inputRow(oh, kh)
                        if ih < 0 || valid.isEmpty {
                            dst.update(repeating: 0, count: outW)
                            continue
                        }
                        let src = channel + ih * geometry.inputWidth + shift
                        for ow in 0 ..< valid.lowerBound { dst[ow] = 0 }
                        if strideW == 1 {
                            (dst + valid.lowerBound).update(from: src + valid.lowerBound, count: valid.count)
                        } else {
                            for ow in valid { dst[ow] = src[ow * strideW] }
                        }
                        for ow in valid.upperBound ..< outW { dst[ow] = 0 }
                    }
                    row += plane
                }
            }
        }
    }

    /// col2im: adds each unfolded value back onto the input position it was read from.
    private func fold(_ columns: UnsafePointer<Float>, into gx: UnsafeMutablePointer<Float>) {
        let outW = geometry.outputWidth, plane = geometry.outputPlane, strideW = geometry.strideWidth
        var row = columns
        for c in 0 ..< groupChannels {
            let channel = gx + c * geometry.inputPlane
            for kh in 0 ..< geometry.kernelHeight {
                for kw in 0 ..< geometry.kernelWidth {
                    let valid = validColumns(kw)
                    let shift = kw * geometry.dilationWidth - geometry.padLeft
                    for oh in 0 ..< geometry.outputHeight {
                        let ih = inputRow(oh, kh)
                        if ih < 0 { continue }
                        let src = row + oh * outW
                        let dst = channel + ih * geometry.inputWidth + shift
                        for ow in valid { dst[ow * strideW] += src[ow] }
                    }
                    row += plane
                }
            }
        }
    }

    /// One channel of a depthwise convolution: each output is the kernel's taps over its window.
    private func depthwiseChannel(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>,
                                  _ out: UnsafeMutablePointer<Float>, bias: Float) {
        let outW = geometry.outputWidth, strideW = geometry.strideWidth
        out.update(repeating: bias, count: geometry.outputPlane)
        for kh in 0 ..< geometry.kernelHeight {
            for kw in 0 ..< geometry.kernelWidth {
                let tap = kernel[kh * geometry.kernelWidth + kw]
                let valid = validColumns(kw)
                let shift = kw * geometry.dilationWidth - geometry.padLeft
                for oh in 0 ..< geometry.outputHeight {
                    let ih = inputRow(oh, kh)
                    if ih < 0 { continue }
                    let src = x + ih * geometry.inputWidth + shift
                    let dst = out + oh * outW
                    if strideW == 1 {
                        axpy(tap, src + valid.lowerBound, dst + valid.lowerBound, valid.count)
                    } else {
                        for ow in valid { dst[ow] += tap * src[ow * strideW] }
                    }
                }
            }
        }
    }

    private func depthwiseInputGradient(_ g: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>,
                                        _ gx: UnsafeMutablePointer<Float>) {
        let outW = geometry.outputWidth, strideW = geometry.strideWidth
        for kh in 0 ..< geometry.kernelHeight {
            for kw in 0 ..< geometry.kernelWidth {
                let tap = kernel[kh * geometry.kernelWidth + kw]
                let valid = validColumns(kw)
                let shift = kw * geometry.dilationWidth - geometry.padLeft
                for oh in 0 ..< geometry.outputHeight {
                    let ih = inputRow(oh, kh)
                    if ih < 0 { continue }
                    let dst = gx + ih * geometry.inputWidth + shift
                    let src = g + oh * outW
                    if strideW == 1 {
                        axpy(tap, src + valid.lowerBound, dst + valid.lowerBound, valid.count)
                    } else {
                        for ow in valid { dst[ow * strideW] += tap * src[ow] }
                    }
                }
            }
        }
    }

    private func depthwiseWeightGradient(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                         _ gw: UnsafeMutablePointer<Float>) {
        let outW = geometry.outputWidth, strideW = geometry.strideWidth
        for kh in 0 ..< geometry.kernelHeight {
            for kw in 0 ..< geometry.kernelWidth {
                let valid = validColumns(kw)
                let shift = kw * geometry.dilationWidth - geometry.padLeft
                var sum: Float = 0
                for oh in 0 ..< geometry.outputHeight {
                    let ih = inputRow(oh, kh)
                    if ih < 0 { continue }
                    let src = x + ih * geometry.inputWidth + shift
                    let grad = g + oh * outW
                    if strideW == 1 {
                        sum += dot(grad + valid.lowerBound, src + valid.lowerBound, valid.count)
                    } else {
                        for ow in valid { sum += grad[ow] * src[ow * strideW] }
                    }
                }
                gw[kh * geometry.kernelWidth + kw] += sum
            }
        }
    }
}
