import CNNKernels

/// The window walk of a 2-d pooling op over `x` [N, C, H, W] (or unbatched [C, H, W]): shape checks and the
/// output size, PyTorch's rules (padding at most half the kernel; `ceilMode` may add a last partial window).
private func poolingGeometry(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int),
                             dilation: (Int, Int), ceilMode: Bool, op: String) throws -> WindowGeometry {
    guard x.rank == 4 else {
        throw TensorError(op, "expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got \(shapeText(x.shape))")
    }
    let stride = stride ?? kernel
    try requireAtLeast(1, [kernel.0, kernel.1], "kernel size", op: op)
    try requireAtLeast(1, [stride.0, stride.1], "stride", op: op)
    try requireAtLeast(1, [dilation.0, dilation.1], "dilation", op: op)
    try requireAtLeast(0, [padding.0, padding.1], "padding", op: op)
    guard padding.0 <= kernel.0 / 2, padding.1 <= kernel.1 / 2 else {
        throw TensorError(op, "padding \(padding.0)×\(padding.1) should be at most half of the kernel \(kernel.0)×\(kernel.1)")
    }
    let height = x.shape[2], width = x.shape[3]
    let outHeight = WindowGeometry.outputSize(input: height, kernel: kernel.0, stride: stride.0, padBefore: padding.0,
                                              padAfter: padding.0, dilation: dilation.0, ceilMode: ceilMode)
    let outWidth = WindowGeometry.outputSize(input: width, kernel: kernel.1, stride: stride.1, padBefore: padding.1,
                                             padAfter: padding.1, dilation: dilation.1, ceilMode: ceilMode)
    guard outHeight > 0, outWidth > 0 else {
        throw TensorError(op, "input \(shapeText(x.shape)) is too small for the kernel \(kernel.0)×\(kernel.1)")
    }
    return WindowGeometry(inputHeight: height, inputWidth: width, outputHeight: outHeight, outputWidth: outWidth,
                          kernelHeight: kernel.0, kernelWidth: kernel.1, strideHeight: stride.0, strideWidth: stride.1,
                          padTop: padding.0, padLeft: padding.1, dilationHeight: dilation.0, dilationWidth: dilation.1)
}

/// Input elements from which a max pool without gradients splits its planes over the cores (about 50 µs of work).
private let parallelPoolingElements = 1 << 16

/// Runs `body` on `x` as a batch: a 3-d input gets a batch dimension of 1 that the result loses again.
private func batched(_ x: Tensor, _ body: (Tensor) throws -> Tensor) throws -> Tensor {
    guard x.rank == 3 else { return try body(x) }
    return try body(x.unsqueeze(0)).squeeze(dim: 0)
}

/// Maximum over each window of `x` [N, C, H, W] (like `F.max_pool2d`; `stride` defaults to the kernel). Padding
/// counts as −∞. The gradient goes to the first maximum of each window (the last NaN, if any, as in PyTorch).
public func maxPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) throws -> Tensor {
    try batched(x) { x in
        let geometry = try poolingGeometry(x, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                                           ceilMode: ceilMode, op: "maxPool2d")
        let planes = x.shape[0] * x.shape[1]
        let xc = x.contiguousData()
        let out = Tensor.uninitialized([x.shape[0], x.shape[1], geometry.outputHeight, geometry.outputWidth])
        if !Tensor.recording(x) {
            // No backward: no argmax to keep, so each plane is a few row-wide passes (the same values), the planes
            // split over the cores when there is enough of them (ResNet's stem pools 64 planes of 112×112).
            let source = Int(bitPattern: xc.base), target = Int(bitPattern: out.base)
            let g = geometry
            let poolPlanes: @Sendable (Int, Int) -> Void = { first, count in
                guard let x = UnsafePointer<Float>(bitPattern: source),
                      let y = UnsafeMutablePointer<Float>(bitPattern: target) else { return }
                for p in first ..< first + count {
                    cnn_max_pool_plane(x + p * g.inputPlane, y + p * g.outputPlane, g.inputHeight, g.inputWidth,
                                       g.outputHeight, g.outputWidth, g.kernelHeight, g.kernelWidth, g.strideHeight,
                                       g.strideWidth, g.padTop, g.padLeft, g.dilationHeight, g.dilationWidth)
                }
            }
            let parts = planes * geometry.inputPlane >= parallelPoolingElements ? PackedGemm.processorCount : 1
            if parts > 1 && planes > 1 {
                forEachParallelPart(of: planes, unit: 1, parts: parts, poolPlanes)
            } else {
                poolPlanes(0, planes)
            }
            return withExtendedLifetime(xc) { out }
        }
        // Index within its input plane of each output's maximum, for backward (−1 when the window is all padding).
        var argmax = [Int32](repeating: -1, count: out.count)
        argmax.withUnsafeMutableBufferPointer { indices in
            for p in 0 ..< planes {
                let src = xc.base + p * geometry.inputPlane
                for oh in 0 ..< geometry.outputHeight {
                    for ow in 0 ..< geometry.outputWidth {
                        var best = -Float.infinity
                        var bestIndex = -1
                        for kh in 0 ..< geometry.kernelHeight {
                            let ih = oh * geometry.strideHeight - geometry.padTop + kh * geometry.dilationHeight
                            if ih < 0 || ih >= geometry.inputHeight { continue }
                            for kw in 0 ..< geometry.kernelWidth {
                                let iw = ow * geometry.strideWidth - geometry.padLeft + kw * geometry.dilationWidth
                                if iw < 0 || iw >= geometry.inputWidth { continue }
                                let index = ih * geometry.inputWidth + iw
                                let value = src[index]
                                // PyTorch's rule: a larger value or a NaN takes over.
                                if value > best || value.isNaN || bestIndex < 0 {
                                    best = value
                                    bestIndex = index
                                }
                            }
                        }
                        let o = (p * geometry.outputHeight + oh) * geometry.outputWidth + ow
                        out.base[o] = best
                        indices[o] = Int32(bestIndex)
                    }
                }
            }
        }
        if Tensor.recording(x) {
            let shape = x.shape
            out.record("MaxPool2DWithIndicesBackward0", [x]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.zeros(shape)
                let plane = geometry.outputPlane
                for p in 0 ..< planes {
                    let dst = gx.base + p * geometry.inputPlane
                    for i in 0 ..< plane {
                        let index = Int(argmax[p * plane + i])
                        if index >= 0 { dst[index] += gc.base[p * plane + i] }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}

/// Mean over each window of `x` [N, C, H, W] (like `F.avg_pool2d`; `stride` defaults to the kernel). With
/// `countIncludePad` the divisor counts padding inside the padded input; without, only real input elements.
/// A `ceilMode` window hanging over the padded input never counts the part outside it, as in PyTorch.
public func avgPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      ceilMode: Bool = false, countIncludePad: Bool = true, divisorOverride: Int? = nil) throws -> Tensor {
    if let divisorOverride, divisorOverride == 0 {
        throw TensorError("avgPool2d", "divisor must be non-zero")
    }
    return try batched(x) { x in
        let geometry = try poolingGeometry(x, kernel: kernel, stride: stride, padding: padding, dilation: (1, 1),
                                           ceilMode: ceilMode, op: "avgPool2d")
        // Each output's window in input coordinates (clipped) and its divisor; the same for every plane.
        var windows: [(rows: Range<Int>, columns: Range<Int>, scale: Float)] = []
        windows.reserveCapacity(geometry.outputPlane)
        for oh in 0 ..< geometry.outputHeight {
            for ow in 0 ..< geometry.outputWidth {
                var h0 = oh * geometry.strideHeight - geometry.padTop, w0 = ow * geometry.strideWidth - geometry.padLeft
                var h1 = Swift.min(h0 + geometry.kernelHeight, geometry.inputHeight + geometry.padTop)
                var w1 = Swift.min(w0 + geometry.kernelWidth, geometry.inputWidth + geometry.padLeft)
                let padded = (h1 - h0) * (w1 - w0)
                h0 = Swift.max(h0, 0); w0 = Swift.max(w0, 0)
                h1 = Swift.min(h1, geometry.inputHeight); w1 = Swift.min(w1, geometry.inputWidth)
                let rows = h0 < h1 ? h0 ..< h1 : 0 ..< 0, columns = w0 < w1 ? w0 ..< w1 : 0 ..< 0
                let divisor = divisorOverride ?? (countIncludePad ? padded : rows.count * columns.count)
                windows.append((rows, columns, divisor == 0 ? 0 : 1 / Float(divisor)))
            }
        }
        let planes = x.shape[0] * x.shape[1]
        let xc = x.contiguousData()
        let out = Tensor.uninitialized([x.shape[0], x.shape[1], geometry.outputHeight, geometry.outputWidth])
        for p in 0 ..< planes {
            let src = xc.base + p * geometry.inputPlane, dst = out.base + p * geometry.outputPlane
            for (o, window) in windows.enumerated() {
                var sum: Float = 0
                for ih in window.rows {
                    let row = src + ih * geometry.inputWidth
                    for iw in window.columns { sum += row[iw] }
                }
                dst[o] = sum * window.scale
            }
        }
        if Tensor.recording(x) {
            let shape = x.shape
            out.record("AvgPool2DBackward0", [x]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.zeros(shape)
                for p in 0 ..< planes {
                    let src = gc.base + p * geometry.outputPlane, dst = gx.base + p * geometry.inputPlane
                    for (o, window) in windows.enumerated() {
                        let share = src[o] * window.scale
                        for ih in window.rows {
                            let row = dst + ih * geometry.inputWidth
                            for iw in window.columns { row[iw] += share }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}

/// Mean over `outputSize` adaptive windows of `x` [N, C, H, W] (like `F.adaptive_avg_pool2d`): output cell i of
/// a dimension of size `in` averages inputs ⌊i·in/out⌋ ..< ⌈(i+1)·in/out⌉.
public func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) throws -> Tensor {
    let op = "adaptiveAvgPool2d"
    return try batched(x) { x in
        guard x.rank == 4 else {
            throw TensorError(op, "expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got \(shapeText(x.shape))")
        }
        try requireAtLeast(1, [outputSize.0, outputSize.1], "output size", op: op)
        let height = x.shape[2], width = x.shape[3]
        guard height > 0, width > 0 else { throw TensorError(op, "input \(shapeText(x.shape)) has an empty plane") }
        let outShape = [x.shape[0], x.shape[1], outputSize.0, outputSize.1]
        _ = try checkedCount(outShape, op: op)
        func ranges(_ input: Int, _ output: Int) -> [Range<Int>] {
            (0 ..< output).map { i in (i * input / output) ..< (((i + 1) * input + output - 1) / output) }
        }
        let rowRanges = ranges(height, outputSize.0), columnRanges = ranges(width, outputSize.1)
        let planes = x.shape[0] * x.shape[1], inPlane = height * width, outPlane = outputSize.0 * outputSize.1
        let xc = x.contiguousData()
        let out = Tensor.uninitialized(outShape)
        for p in 0 ..< planes {
            let src = xc.base + p * inPlane, dst = out.base + p * outPlane
            for (oh, rows) in rowRanges.enumerated() {
                for (ow, columns) in columnRanges.enumerated() {
                    var sum: Float = 0
                    for ih in rows { for iw in columns { sum += src[ih * width + iw] } }
                    dst[oh * outputSize.1 + ow] = sum / Float(rows.count * columns.count)
                }
            }
        }
        if Tensor.recording(x) {
            let shape = x.shape
            out.record("AdaptiveAvgPool2DBackward0", [x]) { _, g in
                let gc = g.contiguousData()
                let gx = Tensor.zeros(shape)
                for p in 0 ..< planes {
                    let src = gc.base + p * outPlane, dst = gx.base + p * inPlane
                    for (oh, rows) in rowRanges.enumerated() {
                        for (ow, columns) in columnRanges.enumerated() {
                            let share = src[oh * outputSize.1 + ow] / Float(rows.count * columns.count)
                            for ih in rows { for iw in columns { dst[ih * width + iw] += share } }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}
