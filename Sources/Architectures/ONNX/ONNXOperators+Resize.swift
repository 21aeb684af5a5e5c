import ModelFiles
import NNCore

/// `Resize` (opsets 11–19; `Upsample` is its older form): nearest and linear interpolation, separable per axis, with
/// the coordinate transformation modes exporters write. Each resized axis is one or two gathers of whole slices
/// along it (`takeFloat`) weighted by constants, so the backward pass is theirs: d out / d x scatters each output's
/// gradient back to the input positions it read, times their weights.
extension ONNXOperators {
    static let resizeOps: [String: Operator] = ["Resize": resize]

    static func resize(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var x = try context.float(0)
        let rank = x.rank
        let mode = try context.string("mode", default: "nearest")
        let transform = try context.string("coordinate_transformation_mode", default: "half_pixel")
        let nearestMode = try context.string("nearest_mode", default: "round_prefer_floor")
        guard mode == "nearest" || mode == "linear" else {
            throw context.error("mode \"\(mode)\" is not supported (nearest and linear are)")
        }
        guard try context.ints("axes") == nil, try context.int("antialias", default: 0) == 0,
              try context.string("keep_aspect_ratio_policy", default: "stretch") == "stretch" else {
            throw context.error("axes, antialias and keep_aspect_ratio_policy are not supported")
        }
        guard ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "half_pixel_symmetric"].contains(transform) else {
            throw context.error("coordinate_transformation_mode \"\(transform)\" is not supported")
        }
        // Output sizes and scales: `sizes` (input 3) if given, else `scales` (input 2); an empty tensor is absent.
        var sizes: [Int] = []
        var scales: [Double] = []
        if let given = try context.optionalInts(3), !given.isEmpty {
            guard given.count == rank, given.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
                throw context.error("sizes \(given) do not fit input \(x.shape)")
            }
            sizes = given
            scales = zip(given, x.shape).map { $1 == 0 ? 1 : Double($0) / Double($1) }
        } else if case .float(let tensor)? = context.optionalInput(2), tensor.count > 0 {
            let given = tensor.toArray().map(Double.init)
            guard given.count == rank, given.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw context.error("scales \(given) do not fit input \(x.shape)")
            }
            scales = given
            sizes = try zip(x.shape, given).map { size, scale in
                let result = (Double(size) * scale).rounded(.down)
                guard result <= Double(1 << 24) else { throw context.error("scale \(scale) makes axis too long") }
                return Int(result)
            }
        } else {
            throw context.error("needs scales or sizes")
        }
        for axis in 0 ..< rank where sizes[axis] != x.shape[axis] || scales[axis] != 1 {
            let length = x.shape[axis], outLength = sizes[axis], scale = scales[axis]
            guard length > 0 else { throw context.error("cannot resize an empty axis \(axis)") }
            let coordinates = (0 ..< outLength).map { output -> Double in
                let o = Double(output)
                switch transform {
                case "align_corners": return outLength == 1 ? 0 : o * Double(length - 1) / Double(outLength - 1)
                case "asymmetric": return o / scale
                case "pytorch_half_pixel": return outLength > 1 ? (o + 0.5) / scale - 0.5 : 0
                case "half_pixel_symmetric":
                    let adjustment = Double(outLength) / (scale * Double(length))
                    return Double(length) / 2 * (1 - adjustment) + (o + 0.5) / scale - 0.5
                default: return (o + 0.5) / scale - 0.5
                }
            }
            if mode == "nearest" {
                let indices = coordinates.map { c -> Int in
                    let rounded: Double
                    switch nearestMode {
                    case "floor": rounded = c.rounded(.down)
                    case "ceil": rounded = c.rounded(.up)
                    case "round_prefer_ceil": rounded = c - c.rounded(.down) == 0.5 ? c.rounded(.up) : c.rounded()
                    default: rounded = c - c.rounded(.down) == 0.5 ? c.rounded(.down) : c.rounded()
                    }
                    return min(max(Int(rounded), 0), length - 1)
                }
                x = try takeFloat(context, x, axis: axis, indices: indices)
            } else {
                // Linear: the two neighbours of the coordinate clamped into the axis (edge values outside it).
                var lower: [Int] = [], upper: [Int] = [], weights: [Float] = []
                for c in coordinates {
                    let clamped = min(max(c, 0), Double(length - 1))
                    let floor = Int(clamped.rounded(.down))
                    lower.append(floor)
                    upper.append(min(floor + 1, length - 1))
                    weights.append(Float(clamped - Double(floor)))
                }
                var weightShape = [Int](repeating: 1, count: rank)
                weightShape[axis] = outLength
                let high = try Tensor(weights, shape: weightShape)
                let low = try Tensor(weights.map { 1 - $0 }, shape: weightShape)
                x = try takeFloat(context, x, axis: axis, indices: lower) * low
                    + takeFloat(context, x, axis: axis, indices: upper) * high
            }
        }
        return [.float(x)]
    }
}
