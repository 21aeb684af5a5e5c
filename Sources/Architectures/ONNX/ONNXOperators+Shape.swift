import ModelFiles
import NNCore

/// Ops that move elements without computing new ones: reshapes, transposes, concatenation, splits, slices,
/// expansion and tiling, and the ops that make shapes and constants. Float tensors become NNCore views or copies
/// (with their backward); integer tensors are rearranged exactly.
extension ONNXOperators {
    static let shapeOps: [String: Operator] = [
        "Identity": { [try $0.input(0)] },
        "Dropout": { context in
            let x = try context.input(0)
            // Inference: the input unchanged; the optional mask output is all true.
            let mask = IntegerTensor(shape: x.shape, values: [Int](repeating: 1, count: x.shape.reduce(1, *)), dataType: .bool)
            return context.node.outputs.count > 1 ? [x, .integer(mask)] : [x]
        },
        "Reshape": reshape,
        "Flatten": { context in
            let x = try context.input(0)
            let axis = try context.resolvedAxis(try context.int("axis", default: 1), rank: x.shape.count + 1)
            let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[axis...].reduce(1, *)
            return [try reshaped(context, x, to: [outer, inner])]
        },
        "Squeeze": { context in
            let x = try context.input(0)
            let axes = try context.axes(input: 1).map { try $0.map { try context.resolvedAxis($0, rank: x.shape.count) } }
            var shape: [Int] = []
            for (d, size) in x.shape.enumerated() {
                if let axes {
                    if axes.contains(d) {
                        guard size == 1 else { throw context.error("cannot squeeze axis \(d) of size \(size)") }
                        continue
                    }
                } else if size == 1 { continue }
                shape.append(size)
            }
            return [try reshaped(context, x, to: shape)]
        },
        "Unsqueeze": { context in
            let x = try context.input(0)
            guard let axes = try context.axes(input: 1) else { throw context.error("no axes given") }
            let rank = x.shape.count + axes.count
            let resolved = Set(try axes.map { try context.resolvedAxis($0, rank: rank) })
            guard resolved.count == axes.count else { throw context.error("repeated axis in \(axes)") }
            var shape: [Int] = []
            var next = 0
            for d in 0 ..< rank {
                if resolved.contains(d) { shape.append(1) } else { shape.append(x.shape[next]); next += 1 }
            }
            return [try reshaped(context, x, to: shape)]
        },
        "Transpose": { context in
            let x = try context.input(0)
            let perm = try context.ints("perm") ?? Array((0 ..< x.shape.count).reversed())
            guard perm.count == x.shape.count, Set(perm) == Set(0 ..< x.shape.count) else {
                throw context.error("perm \(perm) does not fit rank \(x.shape.count)")
            }
            switch x {
            case .float(let tensor): return [.float(try tensor.permute(perm))]
            case .integer(let tensor): return [.integer(permuted(tensor, perm))]
            }
        },
        "Concat": concat,
        "Split": split,
        "Slice": slice,
        "Expand": { context in
            let x = try context.input(0)
            guard let requested = try context.optionalInts(1) else { throw context.error("no shape given") }
            guard let target = BroadcastIndexing.shape(x.shape, requested) else {
                throw context.error("shape \(x.shape) cannot expand to \(requested)")
            }
            return [try expanded(context, x, to: target)]
        },
        "Tile": { context in
            let x = try context.input(0)
            guard let repeats = try context.optionalInts(1), repeats.count == x.shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
                throw context.error("repeats must hold one non-negative count per dimension of \(x.shape)")
            }
            // [d0, d1] → [1, d0, 1, d1] expanded to [r0, d0, r1, d1] → [r0·d0, r1·d1].
            let interleaved = x.shape.flatMap { [1, $0] }
            let target = zip(repeats, x.shape).flatMap { [$0, $1] }
            let spread = try expanded(context, try reshaped(context, x, to: interleaved), to: target)
            return [try reshaped(context, spread, to: zip(repeats, x.shape).map { $0 * $1 })]
        },
        "Shape": { context in
            let shape = try context.input(0).shape
            let rank = shape.count
            func clamped(_ i: Int) -> Int { min(max(i < 0 ? i + rank : i, 0), rank) }
            let start = clamped(try context.int("start", default: 0))
            let end = clamped(try context.int("end", default: rank))
            return [.integer(.vector(start < end ? Array(shape[start ..< end]) : []))]
        },
        "Size": { [.integer(.scalar(try $0.input(0).shape.reduce(1, *)))] },
        "Constant": constant,
        "ConstantOfShape": { context in
            guard let shape = try context.optionalInts(0) else { throw context.error("no shape given") }
            let count = try checkedCount(context, shape)
            guard let tensor = context.node.attribute("value")?.tensor else {
                return [.float(Tensor.zeros(shape))]
            }
            let value = try ONNXValue(record: try tensor.record())
            switch value {
            case .float(let t):
                return [.float(Tensor.full(shape, value: t.toArray().first ?? 0))]
            case .integer(let t):
                return [.integer(IntegerTensor(shape: shape, values: [Int](repeating: t.values.first ?? 0, count: count),
                                               dataType: t.dataType))]
            }
        },
        "Range": range,
        "Trilu": trilu,
    ]

    /// An integer or float value in a new shape with the same elements.
    static func reshaped(_ context: ONNXNodeContext, _ x: ONNXValue, to shape: [Int]) throws -> ONNXValue {
        switch x {
        case .float(let tensor): return .float(try tensor.reshape(shape))
        case .integer(var tensor):
            guard shape.reduce(1, *) == tensor.count else {
                throw context.error("cannot reshape \(tensor.shape) to \(shape)")
            }
            tensor.shape = shape
            return .integer(tensor)
        }
    }

    static func reshape(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try context.input(0)
        guard let requested = try context.optionalInts(1) else { throw context.error("no shape given") }
        let allowZero = try context.int("allowzero", default: 0) == 1
        var shape = try requested.enumerated().map { d, size -> Int in
            if size == 0 && !allowZero {
                guard d < x.shape.count else { throw context.error("shape \(requested) copies dimension \(d) of \(x.shape)") }
                return x.shape[d]
            }
            return size
        }
        let count = x.shape.reduce(1, *)
        if let inferred = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0, shape.filter({ $0 == -1 }).count == 1 else {
                throw context.error("cannot reshape \(x.shape) to \(requested)")
            }
            shape[inferred] = count / known
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw context.error("cannot reshape \(x.shape) to \(requested)")
        }
        return [try reshaped(context, x, to: shape)]
    }

    static func permuted(_ x: IntegerTensor, _ perm: [Int]) -> IntegerTensor {
        let strides = BroadcastIndexing.rowMajorStrides(x.shape)
        let shape = perm.map { x.shape[$0] }
        var values = [Int](repeating: 0, count: x.count)
        BroadcastIndexing.forEachOffset(shape: shape, strides: perm.map { strides[$0] }) { i, offset in
            values[i] = x.values[offset]
        }
        return IntegerTensor(shape: shape, values: values, dataType: x.dataType)
    }

    static func expanded(_ context: ONNXNodeContext, _ x: ONNXValue, to target: [Int]) throws -> ONNXValue {
        switch x {
        case .float(let tensor): return .float(try tensor.expand(to: target))
        case .integer(let tensor):
            _ = try checkedCount(context, target)
            return .integer(IntegerTensor(shape: target, values: tensor.broadcastValues(to: target), dataType: tensor.dataType))
        }
    }

    /// The elements at `indices` along `axis` (for integer tensors; float ones go through `takeFloat`).
    static func take(_ x: IntegerTensor, axis: Int, indices: [Int]) -> IntegerTensor {
        let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        var values: [Int] = []
        values.reserveCapacity(outer * indices.count * inner)
        for o in 0 ..< outer {
            for index in indices {
                let start = (o * size + index) * inner
                values.append(contentsOf: x.values[start ..< start + inner])
            }
        }
        var shape = x.shape
        shape[axis] = indices.count
        return IntegerTensor(shape: shape, values: values, dataType: x.dataType)
    }

    /// The slices at `indices` along `axis` of a float tensor, as one recorded op: the axis is moved to the front
    /// and the rows picked with `embedding`, whose backward scatters the gradient back.
    static func takeFloat(_ context: ONNXNodeContext, _ x: Tensor, axis: Int, indices: [Int]) throws -> Tensor {
        guard x.shape[axis] < 1 << 24 else { throw context.error("axis \(axis) of \(x.shape) is too long to index") }
        let rank = x.rank
        let toFront = [axis] + (0 ..< rank).filter { $0 != axis }
        let moved = try x.permute(toFront)
        let rest = Array(moved.shape.dropFirst())
        let rows = try moved.reshape([moved.shape[0], rest.reduce(1, *)])
        let picked = try embedding(indices: Tensor(indices.map(Float.init), shape: [indices.count]), weight: rows)
        var back = [Int](repeating: 0, count: rank)
        for (position, d) in toFront.enumerated() { back[d] = position }
        return try picked.reshape([indices.count] + rest).permute(back)
    }

    static func concat(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let values = try context.inputs.indices.map { try context.input($0) }
        guard let first = values.first else { throw context.error("no inputs") }
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: first.shape.count)
        for value in values where value.shape.count != first.shape.count ||
            (0 ..< first.shape.count).contains(where: { $0 != axis && value.shape[$0] != first.shape[$0] }) {
            throw context.error("shapes \(values.map(\.shape)) do not join along axis \(axis)")
        }
        let integers = values.compactMap { value -> IntegerTensor? in
            if case .integer(let t) = value { return t }
            return nil
        }
        if integers.count == values.count {
            let outer = first.shape[..<axis].reduce(1, *)
            var result: [Int] = []
            for o in 0 ..< outer {
                for t in integers {
                    let chunk = t.shape[axis...].reduce(1, *)
                    result.append(contentsOf: t.values[o * chunk ..< (o + 1) * chunk])
                }
            }
            var shape = first.shape
            shape[axis] = integers.reduce(0) { $0 + $1.shape[axis] }
            return [.integer(IntegerTensor(shape: shape, values: result, dataType: integers[0].dataType))]
        }
        return [.float(try Tensor.cat(values.map(\.floatTensor), dim: axis))]
    }

    static func split(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try context.input(0)
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: x.shape.count)
        let size = x.shape[axis]
        let parts = context.node.outputs.count
        var sizes: [Int]
        if let given = try context.optionalInts(1) ?? context.ints("split") {
            sizes = given
        } else {
            // Equal parts (opset 18's num_outputs: the last may be smaller).
            let count = try context.optionalInt("num_outputs") ?? parts
            guard count > 0 else { throw context.error("cannot split into \(count) parts") }
            let part = (size + count - 1) / count
            sizes = (0 ..< count).map { max(0, min(part, size - $0 * part)) }
        }
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == size else {
            throw context.error("split sizes \(sizes) do not divide axis \(axis) of \(x.shape) into \(parts) outputs")
        }
        var start = 0
        return try sizes.map { length in
            defer { start += length }
            switch x {
            case .float(let tensor): return .float(try tensor.slice(dim: axis, start: start, end: start + length))
            case .integer(let tensor): return .integer(take(tensor, axis: axis, indices: Array(start ..< start + length)))
            }
        }
    }

    static func slice(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        var x = try context.input(0)
        // Opset ≥ 10: starts, ends, axes, steps are inputs; before, attributes (no steps).
        guard let starts = try context.optionalInts(1) ?? context.ints("starts"),
              let ends = try context.optionalInts(2) ?? context.ints("ends") else {
            throw context.error("starts and ends are required")
        }
        let rank = x.shape.count
        let axes = try (context.optionalInts(3) ?? context.ints("axes") ?? Array(0 ..< starts.count))
            .map { try context.resolvedAxis($0, rank: rank) }
        let steps = try context.optionalInts(4) ?? [Int](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw context.error("starts, ends, axes and steps differ in length")
        }
        for (i, axis) in axes.enumerated() {
            let size = x.shape[axis], step = steps[i]
            guard step != 0 else { throw context.error("step 0") }
            func resolved(_ value: Int) -> Int { value < 0 ? value + size : value }
            let start = resolved(starts[i]), end = resolved(ends[i])
            if step > 0 {
                let s = min(max(start, 0), size), e = min(max(end, s), size)
                switch x {
                case .float(let tensor): x = .float(try tensor.slice(dim: axis, start: s, end: e, step: step))
                case .integer(let tensor): x = .integer(take(tensor, axis: axis, indices: Array(stride(from: s, to: e, by: step))))
                }
            } else {
                let s = min(max(start, -1), size - 1), e = min(max(end, -1), size - 1)
                let indices = Array(stride(from: s, to: e, by: step))
                switch x {
                case .float(let tensor): x = .float(try takeFloat(context, tensor, axis: axis, indices: indices))
                case .integer(let tensor): x = .integer(take(tensor, axis: axis, indices: indices))
                }
            }
        }
        return [x]
    }

    static func constant(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let node = context.node
        if let tensor = node.attribute("value")?.tensor { return [try ONNXValue(record: try tensor.record())] }
        if let value = node.attribute("value_float")?.float { return [.float(Tensor(scalar: value))] }
        if case .floats(let values)? = node.attribute("value_floats")?.value { return [.float(Tensor(values))] }
        if let value = node.attribute("value_int")?.int { return [.integer(.scalar(value))] }
        if let values = node.attribute("value_ints")?.ints { return [.integer(.vector(values))] }
        throw context.error("no value attribute nnview reads (value, value_float(s), value_int(s))")
    }

    static func range(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let start = try context.input(0), limit = try context.input(1), delta = try context.input(2)
        if case .integer(let s) = start, case .integer(let l) = limit, case .integer(let d) = delta {
            let (a, b, step) = (s.values[0], l.values[0], d.values[0])
            guard step != 0 else { throw context.error("delta 0") }
            let count = max(0, (b - a + step + (step > 0 ? -1 : 1)) / step)
            _ = try checkedCount(context, [count])
            return [.integer(.vector((0 ..< count).map { a + $0 * step }, dataType: s.dataType))]
        }
        guard let a = try context.optionalScalar(0), let b = try context.optionalScalar(1),
              let step = try context.optionalScalar(2), step != 0 else { throw context.error("delta 0") }
        let count = max(0, Int(((b - a) / step).rounded(.up)))
        _ = try checkedCount(context, [count])
        return [.float(Tensor((0 ..< count).map { Float(a + Double($0) * step) }))]
    }

    static func trilu(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try context.input(0)
        guard x.shape.count >= 2 else { throw context.error("input must be at least 2-d, got \(x.shape)") }
        let k = Int(try context.optionalScalar(1) ?? 0)
        let upper = try context.int("upper", default: 1) == 1
        let rows = x.shape[x.shape.count - 2], columns = x.shape[x.shape.count - 1]
        var keep = [Int](repeating: 0, count: rows * columns)
        for i in 0 ..< rows { for j in 0 ..< columns where upper ? j - i >= k : j - i <= k { keep[i * columns + j] = 1 } }
        let mask = IntegerTensor(shape: [rows, columns], values: keep, dataType: .bool)
        switch x {
        case .float(let tensor):
            return [.float(try NNCore.where(condition: ONNXValue.integer(mask).floatTensor, tensor, Tensor(scalar: 0)))]
        case .integer(let tensor):
            let m = mask.broadcastValues(to: tensor.shape)
            return [.integer(IntegerTensor(shape: tensor.shape, values: tensor.values.indices.map { m[$0] != 0 ? tensor.values[$0] : 0 },
                                           dataType: tensor.dataType))]
        }
    }

    /// The element count of a shape computed from the graph's values, refused when negative or too large.
    static func checkedCount(_ context: ONNXNodeContext, _ shape: [Int]) throws -> Int {
        do {
            return try TensorLimits.checkedElementCount(shape, limit: TensorLimits.maxElements, what: context.nodeDescription)
        } catch {
            throw context.error("shape \(shape) is negative or too large")
        }
    }
}
