import ModelFiles
import NNCore

/// ScatterND, ScatterElements and Pad: ops that place values into a tensor. Float results are composed from
/// `embedding` (rows picked from the updates) and `where`, so gradients reach both the data and the updates.
extension ONNXOperators {
    static let scatterOps: [String: Operator] = [
        "ScatterND": scatterND,
        "ScatterElements": scatterElements,
        "Pad": pad,
    ]

    static func scatterND(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let data = try context.input(0), indices = try context.integer(1), updates = try context.input(2)
        guard try context.string("reduction", default: "none") == "none" else {
            throw context.error("only reduction=none is supported")
        }
        guard let depth = indices.shape.last, depth >= 1, depth <= data.shape.count else {
            throw context.error("indices \(indices.shape) do not index data \(data.shape)")
        }
        let indexed = Array(data.shape[..<depth])
        let rowWidth = data.shape[depth...].reduce(1, *)
        let tuples = indices.count / depth
        guard updates.shape == Array(indices.shape.dropLast()) + Array(data.shape[depth...]) else {
            throw context.error("updates \(updates.shape) do not fit indices \(indices.shape) and data \(data.shape)")
        }
        var rows = [Int](repeating: 0, count: tuples)
        for t in 0 ..< tuples {
            var row = 0
            for k in 0 ..< depth {
                row = row * indexed[k] + (try resolvedIndices(context, [indices.values[t * depth + k]], size: indexed[k])[0])
            }
            rows[t] = row
        }
        return [try scatter(context, data, rows: rows, rowWidth: rowWidth, updates: updates)]
    }

    static func scatterElements(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let data = try context.input(0), indices = try context.integer(1), updates = try context.input(2)
        guard try context.string("reduction", default: "none") == "none" else {
            throw context.error("only reduction=none is supported")
        }
        let rank = data.shape.count
        guard indices.shape.count == rank, updates.shape == indices.shape else {
            throw context.error("indices \(indices.shape) and updates \(updates.shape) must have data's rank \(rank) and one shape")
        }
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: rank)
        for d in 0 ..< rank where indices.shape[d] > data.shape[d] && d != axis {
            throw context.error("indices \(indices.shape) reach outside data \(data.shape)")
        }
        let strides = BroadcastIndexing.rowMajorStrides(data.shape)
        let resolved = try resolvedIndices(context, indices.values, size: data.shape[axis])
        var rows = [Int](repeating: 0, count: indices.count)
        var coordinate = [Int](repeating: 0, count: rank)
        for i in 0 ..< indices.count {
            rows[i] = (0 ..< rank).reduce(0) { $0 + ($1 == axis ? resolved[i] : coordinate[$1]) * strides[$1] }
            var d = rank - 1
            while d >= 0 {
                coordinate[d] += 1
                if coordinate[d] < indices.shape[d] { break }
                coordinate[d] = 0
                d -= 1
            }
        }
        return [try scatter(context, data, rows: rows, rowWidth: 1, updates: updates)]
    }

    /// `data` with row `rows[u]` (rows of `rowWidth` elements) replaced by row u of `updates`.
    static func scatter(_ context: ONNXNodeContext, _ data: ONNXValue, rows: [Int], rowWidth: Int,
                        updates: ONNXValue) throws -> ONNXValue {
        let rowCount = rowWidth == 0 ? 0 : data.shape.reduce(1, *) / rowWidth
        // For each data row, the update row written there (the last one, if several), or nil.
        var source = [Int?](repeating: nil, count: rowCount)
        for (u, row) in rows.enumerated() { source[row] = u }
        if case .integer(var target) = data, case .integer(let values) = updates {
            for (row, u) in source.enumerated() {
                guard let u else { continue }
                for k in 0 ..< rowWidth { target.values[row * rowWidth + k] = values.values[u * rowWidth + k] }
            }
            return .integer(target)
        }
        let base = data.floatTensor, replacement = updates.floatTensor
        guard rows.count > 0 else { return .float(base) }
        let picked = try embedding(indices: Tensor(source.map { Float($0 ?? 0) }),
                                   weight: replacement.reshape([rows.count, rowWidth]))
        let mask = try Tensor(source.map { $0 == nil ? 0 : 1 }, shape: [rowCount, 1])
        let merged = try NNCore.where(condition: mask, picked, base.reshape([rowCount, rowWidth]))
        return .float(try merged.reshape(base.shape))
    }

    static func pad(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var x = try context.input(0)
        let rank = x.shape.count
        // Opset ≥ 11: pads (and the constant, and from 18 the axes) are inputs; before, attributes.
        guard let pads = try context.optionalInts(1) ?? context.ints("pads") else { throw context.error("pads are required") }
        let axes = try (context.optionalInts(3) ?? Array(0 ..< rank)).map { try context.resolvedAxis($0, rank: rank) }
        guard pads.count == 2 * axes.count else { throw context.error("pads \(pads) do not fit \(axes.count) axes") }
        let mode = try context.string("mode", default: "constant")
        let constant = try context.optionalScalar(2) ?? Double(try context.float("value", default: 0))
        for (k, axis) in axes.enumerated() {
            let begin = pads[k], end = pads[k + axes.count], size = x.shape[axis]
            guard size + begin + end >= 0 else { throw context.error("pads \(pads) remove more than axis \(axis) holds") }
            // Index of each output position along the axis in the input, nil for the constant.
            let positions: [Int?] = (-begin ..< size + end).map { i in
                if i >= 0 && i < size { return i }
                switch mode {
                case "edge": return min(max(i, 0), size - 1)
                case "reflect":
                    guard size > 1 else { return 0 }
                    var j = i
                    while j < 0 || j >= size { j = j < 0 ? -j : 2 * (size - 1) - j }
                    return j
                default: return nil
                }
            }
            guard mode == "constant" || mode == "edge" || mode == "reflect" else {
                throw context.error("mode \(mode) is not one of constant, reflect, edge")
            }
            guard size > 0 || positions.allSatisfy({ $0 == nil }) else { throw context.error("cannot \(mode)-pad an empty axis") }
            // A float constant input (an initializer, so a parameter) fills through a broadcast view: it gets its gradient.
            let constantTensor: Tensor? = if case .float(let t)? = context.optionalInput(2) { try t.reshape([]) } else { nil }
            x = try placed(context, x, axis: axis, positions: positions, constant: constant, constantTensor: constantTensor)
        }
        return [x]
    }

    /// `x` rearranged along `axis`: output position i is input position `positions[i]`, or `constant` for nil.
    static func placed(_ context: ONNXNodeContext, _ x: ONNXValue, axis: Int, positions: [Int?], constant: Double,
                       constantTensor: Tensor?) throws -> ONNXValue {
        switch x {
        case .integer(let tensor):
            var shape = tensor.shape
            shape[axis] = positions.count
            let outer = tensor.shape[..<axis].reduce(1, *), size = tensor.shape[axis], inner = tensor.shape[(axis + 1)...].reduce(1, *)
            var values: [Int] = []
            values.reserveCapacity(outer * positions.count * inner)
            for o in 0 ..< outer {
                for position in positions {
                    if let position {
                        let start = (o * size + position) * inner
                        values.append(contentsOf: tensor.values[start ..< start + inner])
                    } else {
                        values.append(contentsOf: [Int](repeating: Int(constant), count: inner))
                    }
                }
            }
            return .integer(IntegerTensor(shape: shape, values: values, dataType: tensor.dataType))
        case .float(let tensor):
            // Runs of copied positions are one take each; the constant runs are filled tensors.
            var pieces: [Tensor] = []
            var run: [Int] = []
            var fill = 0
            func flush() throws {
                if !run.isEmpty { pieces.append(try takeFloat(context, tensor, axis: axis, indices: run)); run = [] }
                if fill > 0 {
                    var shape = tensor.shape
                    shape[axis] = fill
                    pieces.append(try constantTensor?.expand(to: shape) ?? Tensor.full(shape, value: Float(constant)))
                    fill = 0
                }
            }
            for position in positions {
                if let position {
                    if fill > 0 { try flush() }
                    run.append(position)
                } else {
                    if !run.isEmpty { try flush() }
                    fill += 1
                }
            }
            try flush()
            guard !pieces.isEmpty else {
                var shape = tensor.shape
                shape[axis] = 0
                return .float(Tensor.zeros(shape))
            }
            return .float(pieces.count == 1 ? pieces[0] : try Tensor.cat(pieces, dim: axis))
        }
    }
}
