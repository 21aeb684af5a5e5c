import ModelFiles
import NNCore

/// Products, normalisations, softmax and 2-d convolution/pooling, each one NNCore op where NNCore has one.
extension ONNXOperators {
    static let neuralNetworkOps: [String: Operator] = [
        "MatMul": { [.float(try $0.float(0).matmul(try $0.float(1)))] },
        "Gemm": gemm,
        "Softmax": { try softmax($0, log: false) },
        "LogSoftmax": { try softmax($0, log: true) },
        "LayerNormalization": layerNormalization,
        "BatchNormalization": batchNormalization,
        "InstanceNormalization": { context in
            // Per sample and channel over the spatial dimensions: (x − mean)/√(var + ε)·scale + B, composed.
            let x = try context.float(0)
            guard x.rank >= 3 else { throw context.error("input must be [N, C, …], got \(x.shape)") }
            let channelShape = [1, x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
            let flat = try x.reshape([x.shape[0], x.shape[1], x.shape[2...].reduce(1, *)])
            let mean = try flat.mean(dim: 2, keepdim: true)
            let centered = try flat - mean
            let variance = try centered.square().mean(dim: 2, keepdim: true)
            let normalized = try (centered / (variance + (try context.float("epsilon", default: 1e-5))).sqrt()).reshape(x.shape)
            return [.float(try normalized * context.float(1).reshape(channelShape) + context.float(2).reshape(channelShape))]
        },
        "Conv": convolution,
        "MaxPool": { try pool($0, max: true) },
        "AveragePool": { try pool($0, max: false) },
        "GlobalAveragePool": { context in
            var x = try context.float(0)
            guard x.rank >= 3 else { throw context.error("input must be [N, C, …], got \(x.shape)") }
            for d in 2 ..< x.rank { x = try x.mean(dim: d, keepdim: true) }
            return [.float(x)]
        },
        "GlobalMaxPool": { context in
            var x = try context.float(0)
            guard x.rank >= 3 else { throw context.error("input must be [N, C, …], got \(x.shape)") }
            for d in 2 ..< x.rank { x = try x.max(dim: d, keepdim: true).values }
            return [.float(x)]
        },
    ]

    static func gemm(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var a = try context.float(0), b = try context.float(1)
        guard a.rank == 2, b.rank == 2 else { throw context.error("A \(a.shape) and B \(b.shape) must be matrices") }
        if try context.int("transA", default: 0) == 1 { a = try a.t() }
        if try context.int("transB", default: 0) == 1 { b = try b.t() }
        let alpha = try context.float("alpha", default: 1), beta = try context.float("beta", default: 1)
        var y = try a.matmul(b)
        if alpha != 1 { y = y * alpha }
        if let c = context.optionalInput(2) {
            let bias = c.floatTensor
            y = try y + (beta == 1 ? bias : bias * beta)
        }
        return [.float(y)]
    }

    static func softmax(_ context: ONNXNodeContext, log: Bool) throws -> [ONNXValue] {
        let x = try context.float(0)
        if context.opset >= 13 {
            let axis = try context.resolvedAxis(try context.int("axis", default: -1), rank: x.rank)
            return [.float(try maskedRowSafe(x, axis: axis) { log ? try $0.logSoftmax(dim: axis) : try $0.softmax(dim: axis) })]
        }
        // Before opset 13 the input is read as a matrix [prod(shape[..<axis]), prod(shape[axis...])].
        let axis = try context.resolvedAxis(try context.int("axis", default: 1), rank: x.rank)
        let rows = try x.reshape([x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)])
        return [.float(try (log ? rows.logSoftmax(dim: 1) : rows.softmax(dim: 1)).reshape(x.shape))]
    }

    /// `softmax(x)` where rows that are −∞ throughout (a fully masked attention row) are NaN, as onnxruntime gives
    /// them, but pass no NaN back: exporters replace those rows (IsNaN → Where), and a NaN in the softmax's saved
    /// output would otherwise turn every gradient before it into NaN.
    static func maskedRowSafe(_ x: Tensor, axis: Int, _ softmax: (Tensor) throws -> Tensor) throws -> Tensor {
        let masked = try Autograd.noGrad { try x.detach().max(dim: axis, keepdim: true).values.eq(-Float.infinity) }
        guard masked.toArray().contains(1) else { return try softmax(x) }
        let safe = try NNCore.where(condition: masked, Tensor(scalar: 0), x)
        return try NNCore.where(condition: masked, Tensor(scalar: .nan), try softmax(safe))
    }

    static func layerNormalization(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try context.float(0)
        let scale = try context.float(1)
        let bias = try context.optionalInput(2).map { _ in try context.float(2) }
        let axis = try context.resolvedAxis(try context.int("axis", default: -1), rank: x.rank)
        let epsilon = try context.float("epsilon", default: 1e-5)
        guard context.node.outputs.dropFirst().allSatisfy(\.isEmpty) else {
            throw context.error("the Mean and InvStdDev outputs are not supported")
        }
        let normalizedShape = Array(x.shape[axis...])
        if scale.shape == normalizedShape && (bias?.shape ?? normalizedShape) == normalizedShape {
            return [.float(try layerNorm(x, normalizedShape: normalizedShape, weight: scale, bias: bias, eps: epsilon))]
        }
        // Scale and bias that only broadcast to the normalised shape.
        var y = try layerNorm(x, normalizedShape: normalizedShape, eps: epsilon) * scale
        if let bias { y = try y + bias }
        return [.float(y)]
    }

    static func batchNormalization(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        guard try context.int("training_mode", default: 0) == 0 else {
            throw context.error("training_mode=1 is not supported (inference statistics only)")
        }
        // y = (x − mean)·scale/√(var + ε) + B, composed so every operand (initializers all) gets its gradient.
        let x = try context.float(0)
        guard x.rank >= 2 else { throw context.error("input must be [N, C, …], got \(x.shape)") }
        let channelShape = [1, x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
        let (scale, bias, mean, variance) = try (context.float(1).reshape(channelShape), context.float(2).reshape(channelShape),
                                                 context.float(3).reshape(channelShape), context.float(4).reshape(channelShape))
        let epsilon = try context.float("epsilon", default: 1e-5)
        return [.float(try (x - mean) * (scale / (variance + epsilon).sqrt()) + bias)]
    }

    /// Pads (top, left, bottom, right) for a 2-d window op, from `pads` or `auto_pad`.
    static func windowPads(_ context: ONNXNodeContext, input: [Int], kernel: [Int], strides: [Int],
                           dilations: [Int], oneD: Bool) throws -> [Int] {
        let autoPad = try context.string("auto_pad", default: "NOTSET")
        switch autoPad {
        case "NOTSET":
            var pads = try context.ints("pads") ?? [0, 0, 0, 0]
            // A 1-d op's [begin, end] become the width's pads of the [N, C, 1, L] form.
            if oneD && pads.count == 2 { pads = [0, pads[0], 0, pads[1]] }
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { throw context.error("pads \(pads) are not 4 non-negative values") }
            return pads
        case "VALID": return [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            var pads = [0, 0, 0, 0]
            for d in 0 ..< 2 {
                let output = (input[d] + strides[d] - 1) / strides[d]
                let total = max(0, (output - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - input[d])
                let small = total / 2
                pads[d] = autoPad == "SAME_UPPER" ? small : total - small
                pads[d + 2] = total - pads[d]
            }
            return pads
        default: throw context.error("auto_pad \(autoPad) is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
    }

    /// `x` [N, C, H, W] with `value` added around it by (top, left, bottom, right) — for the asymmetric pads NNCore's
    /// symmetric convolution and pooling do not take.
    static func padded(_ x: Tensor, _ pads: [Int], value: Float) throws -> Tensor {
        var y = x
        let (n, c) = (x.shape[0], x.shape[1])
        if pads[0] + pads[2] > 0 {
            let w = y.shape[3]
            y = try Tensor.cat([Tensor.full([n, c, pads[0], w], value: value), y, Tensor.full([n, c, pads[2], w], value: value)], dim: 2)
        }
        if pads[1] + pads[3] > 0 {
            let h = y.shape[2]
            y = try Tensor.cat([Tensor.full([n, c, h, pads[1]], value: value), y, Tensor.full([n, c, h, pads[3]], value: value)], dim: 3)
        }
        return y
    }

    /// A 1-d window op's input [N, C, L] as [N, C, 1, L], and its attributes with a leading 1, so the 2-d kernels run it.
    static func spatialPairs(_ context: ONNXNodeContext, rank: Int, _ name: String, default value: Int) throws -> [Int] {
        let given = try context.ints(name) ?? [Int](repeating: value, count: rank - 2)
        guard given.count == rank - 2 else { throw context.error("\(name) \(given) does not fit a \(rank)-d input") }
        return rank == 3 ? [1] + given : given
    }

    static func convolution(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var x = try context.float(0), weight = try context.float(1)
        let bias = try context.optionalInput(2).map { _ in try context.float(2) }
        let oneD = x.rank == 3
        guard x.rank == 4 || oneD, weight.rank == x.rank else {
            throw context.error("only 1-d and 2-d convolutions are supported (input \(x.shape), weight \(weight.shape))")
        }
        if oneD { x = try x.unsqueeze(2); weight = try weight.unsqueeze(2) }
        let strides = try spatialPairs(context, rank: x.rank - (oneD ? 1 : 0), "strides", default: 1)
        let dilations = try spatialPairs(context, rank: x.rank - (oneD ? 1 : 0), "dilations", default: 1)
        let kernel = Array(weight.shape[2...])
        var pads = try windowPads(context, input: Array(x.shape[2...]), kernel: kernel, strides: strides,
                                  dilations: dilations, oneD: oneD)
        let group = try context.int("group", default: 1)
        if pads[0] != pads[2] || pads[1] != pads[3] {
            x = try padded(x, pads, value: 0)
            pads = [0, 0, 0, 0]
        }
        var y = try conv2d(x, weight: weight, bias: bias, stride: (strides[0], strides[1]),
                           padding: .explicit(pads[0], pads[1]), dilation: (dilations[0], dilations[1]), groups: group)
        if oneD { y = try y.squeeze(dim: 2) }
        return [.float(y)]
    }

    static func pool(_ context: ONNXNodeContext, max isMax: Bool) throws -> [ONNXValue] {
        var x = try context.float(0)
        let oneD = x.rank == 3
        guard x.rank == 4 || oneD else { throw context.error("only 1-d and 2-d pooling is supported (input \(x.shape))") }
        guard context.node.outputs.count < 2 || context.node.outputs[1].isEmpty else {
            throw context.error("the Indices output is not supported")
        }
        if oneD { x = try x.unsqueeze(2) }
        guard var kernel = try context.ints("kernel_shape") else { throw context.error("kernel_shape is required") }
        if oneD { kernel = [1] + kernel }
        guard kernel.count == 2 else { throw context.error("kernel_shape \(kernel) does not fit input \(x.shape)") }
        let strides = try spatialPairs(context, rank: 4, "strides", default: 1)
        let dilations = try spatialPairs(context, rank: 4, "dilations", default: 1)
        var pads = try windowPads(context, input: Array(x.shape[2...]), kernel: kernel, strides: strides,
                                  dilations: dilations, oneD: oneD)
        let ceilMode = try context.int("ceil_mode", default: 0) == 1
        let countIncludePad = try context.int("count_include_pad", default: 0) == 1
        if pads[0] != pads[2] || pads[1] != pads[3] {
            guard isMax || countIncludePad else {
                throw context.error("asymmetric pads \(pads) without count_include_pad are not supported")
            }
            x = try padded(x, pads, value: isMax ? -Float.infinity : 0)
            pads = [0, 0, 0, 0]
        }
        var y: Tensor
        if isMax {
            y = try maxPool2d(x, kernel: (kernel[0], kernel[1]), stride: (strides[0], strides[1]),
                              padding: (pads[0], pads[1]), dilation: (dilations[0], dilations[1]), ceilMode: ceilMode)
        } else {
            guard dilations == [1, 1] else { throw context.error("dilated average pooling is not supported") }
            y = try avgPool2d(x, kernel: (kernel[0], kernel[1]), stride: (strides[0], strides[1]),
                              padding: (pads[0], pads[1]), ceilMode: ceilMode, countIncludePad: countIncludePad)
        }
        if oneD { y = try y.squeeze(dim: 2) }
        return [.float(y)]
    }
}
