import ModelFiles
import NNCore

/// ReduceSum/Mean/Max/Min/Prod and ArgMax/ArgMin, with the axes as an input (ReduceSum from opset 13, the rest
/// from 18) or as an attribute (before), `keepdims` and `noop_with_empty_axes`.
extension ONNXOperators {
    static let reductionOps: [String: Operator] = [
        "ReduceSum": { try reduce($0, float: { try $0.sum(dim: $1, keepdim: true) }, integer: { $0.reduce(0, &+) }) },
        "ReduceMean": { try reduce($0, float: { try $0.mean(dim: $1, keepdim: true) }, integer: nil) },
        "ReduceMax": { try reduce($0, float: { try $0.max(dim: $1, keepdim: true).values }, integer: { $0.max() ?? 0 }) },
        "ReduceMin": { try reduce($0, float: { try $0.min(dim: $1, keepdim: true).values }, integer: { $0.min() ?? 0 }) },
        "ReduceProd": { try reduce($0, float: nil, integer: { $0.reduce(1, &*) }) },
        "ReduceSumSquare": { try reduce($0, float: { try $0.square().sum(dim: $1, keepdim: true) }, integer: nil) },
        "ReduceL2": { context in
            let squares = try reduce(context, float: { try $0.square().sum(dim: $1, keepdim: true) }, integer: nil)
            return [.float(squares[0].floatTensor.sqrt())]
        },
        "ArgMax": { try argExtreme($0, largest: true) },
        "ArgMin": { try argExtreme($0, largest: false) },
        "CumSum": cumulativeSum,
    ]

    static func reduce(_ context: ONNXNodeContext, float: ((Tensor, Int) throws -> Tensor)?,
                       integer: (([Int]) -> Int)?) throws -> [ONNXValue] {
        let x = try context.input(0)
        let rank = x.shape.count
        let keepDims = try context.int("keepdims", default: 1) == 1
        var axes = try context.axes(input: 1)?.map { try context.resolvedAxis($0, rank: rank) } ?? []
        if axes.isEmpty {
            if try context.int("noop_with_empty_axes", default: 0) == 1 { return [x] }
            axes = Array(0 ..< rank)
        }
        let reduced = Set(axes)
        let keptShape = x.shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let finalShape = keepDims ? keptShape : x.shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        switch x {
        case .float(let tensor):
            guard let float else { throw context.error("float inputs are not supported") }
            var y = tensor
            for axis in reduced.sorted() { y = try float(y, axis) }
            return [.float(try y.reshape(finalShape))]
        case .integer(let tensor):
            guard let integer else { throw context.error("integer inputs are not supported") }
            var groups = [[Int]](repeating: [], count: keptShape.reduce(1, *))
            let outStrides = BroadcastIndexing.rowMajorStrides(keptShape)
            let strides = outStrides.enumerated().map { reduced.contains($0.offset) ? 0 : $0.element }
            BroadcastIndexing.forEachOffset(shape: x.shape, strides: strides) { i, offset in
                groups[offset].append(tensor.values[i])
            }
            return [.integer(IntegerTensor(shape: finalShape, values: groups.map(integer), dataType: tensor.dataType))]
        }
    }

    static func argExtreme(_ context: ONNXNodeContext, largest: Bool) throws -> [ONNXValue] {
        let x = try context.input(0)
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: x.shape.count)
        let keepDims = try context.int("keepdims", default: 1) == 1
        let selectLast = try context.int("select_last_index", default: 0) == 1
        let values: [Double]
        switch x {
        case .float(let tensor): values = tensor.toArray().map(Double.init)
        case .integer(let tensor): values = tensor.values.map(Double.init)
        }
        let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        guard size > 0 else { throw context.error("cannot take the extreme of an empty axis") }
        var result = [Int](repeating: 0, count: outer * inner)
        for o in 0 ..< outer {
            for i in 0 ..< inner {
                var best = 0
                for k in 1 ..< size {
                    let candidate = values[(o * size + k) * inner + i], current = values[(o * size + best) * inner + i]
                    let better = largest ? candidate > current : candidate < current
                    if better || (selectLast && candidate == current) { best = k }
                }
                result[o * inner + i] = best
            }
        }
        var shape = x.shape
        if keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
        return [.integer(IntegerTensor(shape: shape, values: result))]
    }

    static func cumulativeSum(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try context.integer(0)
        guard let axisValue = try context.optionalScalar(1) else { throw context.error("axis is required") }
        let axis = try context.resolvedAxis(Int(axisValue), rank: x.shape.count)
        let exclusive = try context.int("exclusive", default: 0) == 1
        let reverse = try context.int("reverse", default: 0) == 1
        let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        var values = x.values
        for o in 0 ..< outer {
            for i in 0 ..< inner {
                var running = 0
                for step in 0 ..< size {
                    let k = reverse ? size - 1 - step : step
                    let at = (o * size + k) * inner + i
                    let value = x.values[at]
                    if exclusive { values[at] = running; running &+= value } else { running &+= value; values[at] = running }
                }
            }
        }
        return [.integer(IntegerTensor(shape: x.shape, values: values, dataType: x.dataType))]
    }
}
