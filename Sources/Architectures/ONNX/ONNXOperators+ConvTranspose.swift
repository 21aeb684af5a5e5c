import ModelFiles
import NNCore

/// `ConvTranspose` (1-d and 2-d, groups, strides, dilations, pads, output_padding) as the convolution it is the
/// transpose of: the input spread out by the strides (zeros between its elements), padded by dilation·(k−1) − pad
/// on each side (plus output_padding at the end; cropped where that is negative), then a stride-1 convolution with
/// the kernel flipped and its in/out channels swapped per group. Every step is a differentiable NNCore op, so the
/// backward pass is theirs.
extension ONNXOperators {
    static let convTransposeOps: [String: Operator] = ["ConvTranspose": convTranspose]

    static func convTranspose(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var x = try context.float(0), weight = try context.float(1)
        let bias = try context.optionalInput(2).map { _ in try context.float(2) }
        let oneD = x.rank == 3
        guard x.rank == 4 || oneD, weight.rank == x.rank else {
            throw context.error("only 1-d and 2-d transposed convolutions are supported (input \(x.shape), weight \(weight.shape))")
        }
        guard try context.ints("output_shape") == nil,
              try context.string("auto_pad", default: "NOTSET") == "NOTSET" else {
            throw context.error("output_shape and auto_pad are not supported (give pads and output_padding)")
        }
        if oneD { x = try x.unsqueeze(2); weight = try weight.unsqueeze(2) }
        let rank = x.rank - (oneD ? 1 : 0)
        let strides = try spatialPairs(context, rank: rank, "strides", default: 1)
        let dilations = try spatialPairs(context, rank: rank, "dilations", default: 1)
        var outputPadding = try spatialPairs(context, rank: rank, "output_padding", default: 0)
        if oneD { outputPadding[0] = 0 }  // spatialPairs leads a 1-d op's pairs with 1, right for strides only
        var pads = try context.ints("pads") ?? [Int](repeating: 0, count: 2 * (rank - 2))
        guard pads.count == 2 * (rank - 2) else { throw context.error("pads \(pads) do not fit input \(x.shape)") }
        if oneD { pads = [0, pads[0], 0, pads[1]] }
        let group = try context.int("group", default: 1)
        let inChannels = x.shape[1]
        guard group >= 1, inChannels % group == 0, weight.shape[0] == inChannels,
              strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }) else {
            throw context.error("input \(x.shape), weight \(weight.shape), group \(group), strides \(strides) and "
                + "dilations \(dilations) do not fit")
        }
        let kernel = Array(weight.shape[2...])
        for axis in 0 ..< 2 {
            let dimension = axis + 2
            let length = x.shape[dimension]
            guard length > 0 else { throw context.error("input \(x.shape) is empty") }
            // Spread: element i of the axis lands at i·stride, zeros (a padded zero slice) in between.
            if strides[axis] > 1 {
                var zeroPads = [0, 0, 0, 0]
                zeroPads[axis + 2] = 1
                let withZero = try padded(x, zeroPads, value: 0)
                let spread = (0 ..< (length - 1) * strides[axis] + 1).map { $0 % strides[axis] == 0 ? $0 / strides[axis] : length }
                x = try takeFloat(context, withZero, axis: dimension, indices: spread)
            }
            // Pad (or crop) to the full correlation's extent.
            let reach = dilations[axis] * (kernel[axis] - 1)
            let before = reach - pads[axis], after = reach - pads[axis + 2] + outputPadding[axis]
            let current = x.shape[dimension]
            let kept = Array(max(0, -before) ..< current - max(0, -after))
            guard !kept.isEmpty else { throw context.error("pads \(pads) leave no output along axis \(dimension)") }
            if kept.count != current { x = try takeFloat(context, x, axis: dimension, indices: kept) }
            var growth = [0, 0, 0, 0]
            growth[axis] = max(0, before)
            growth[axis + 2] = max(0, after)
            if growth.contains(where: { $0 > 0 }) { x = try padded(x, growth, value: 0) }
        }
        // [Cin, Cout/g, kh, kw] → [Cout, Cin/g, kh, kw], flipped in space.
        let outPerGroup = weight.shape[1], inPerGroup = inChannels / group
        var flipped = try weight.reshape([group, inPerGroup, outPerGroup] + kernel).permute([0, 2, 1, 3, 4])
            .reshape([group * outPerGroup, inPerGroup] + kernel)
        for axis in 2 ..< 4 where flipped.shape[axis] > 1 {
            flipped = try takeFloat(context, flipped, axis: axis, indices: Array((0 ..< flipped.shape[axis]).reversed()))
        }
        var y = try conv2d(x, weight: flipped, bias: bias, stride: (1, 1), padding: .explicit(0, 0),
                           dilation: (dilations[0], dilations[1]), groups: group)
        if oneD { y = try y.squeeze(dim: 2) }
        return [.float(y)]
    }
}
