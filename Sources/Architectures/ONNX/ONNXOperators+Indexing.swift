import ModelFiles
import NNCore

/// Gather, GatherElements and GatherND. Indices are exact integers (negative ones count from the end); float
/// data is picked through `embedding`, so the gradient is scattered back to the rows that were read.
extension ONNXOperators {
    static let indexingOps: [String: Operator] = [
        "Gather": gather,
        "GatherElements": gatherElements,
        "GatherND": gatherND,
    ]

    /// `indices` with negative entries resolved against `size`, each checked to lie in 0 ..< size.
    static func resolvedIndices(_ context: ONNXNodeContext, _ indices: [Int], size: Int) throws -> [Int] {
        try indices.map { index in
            let resolved = index < 0 ? index + size : index
            guard resolved >= 0, resolved < size else {
                throw context.error("index \(index) is out of range for a dimension of size \(size)")
            }
            return resolved
        }
    }

    static func gather(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let data = try context.input(0), indices = try context.integer(1)
        guard !data.shape.isEmpty else { throw context.error("cannot gather from a scalar") }
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: data.shape.count)
        let flat = try resolvedIndices(context, indices.values, size: data.shape[axis])
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        switch data {
        case .integer(let tensor):
            var picked = take(tensor, axis: axis, indices: flat)
            picked.shape = shape
            return [.integer(picked)]
        case .float(let tensor):
            if axis == 0 && tensor.rank == 2 && tensor.shape[0] < 1 << 24 {
                // An embedding lookup, the common case: one op, no permutes.
                let ids = try Tensor(flat.map(Float.init), shape: indices.shape)
                return [.float(try embedding(indices: ids, weight: tensor))]
            }
            return [.float(try takeFloat(context, tensor, axis: axis, indices: flat).reshape(shape))]
        }
    }

    static func gatherElements(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let data = try context.input(0), indices = try context.integer(1)
        let rank = data.shape.count
        guard indices.shape.count == rank else {
            throw context.error("indices \(indices.shape) and data \(data.shape) differ in rank")
        }
        let axis = try context.resolvedAxis(try context.int("axis", default: 0), rank: rank)
        for d in 0 ..< rank where d != axis && indices.shape[d] > data.shape[d] {
            throw context.error("indices \(indices.shape) reach outside data \(data.shape) along axis \(d)")
        }
        let dataStrides = BroadcastIndexing.rowMajorStrides(data.shape)
        let resolved = try resolvedIndices(context, indices.values, size: data.shape[axis])
        // The flat position in data of every output element: its own coordinates, with the axis one replaced.
        var offsets = [Int](repeating: 0, count: indices.count)
        var coordinate = [Int](repeating: 0, count: rank)
        for i in 0 ..< indices.count {
            var offset = 0
            for d in 0 ..< rank { offset += (d == axis ? resolved[i] : coordinate[d]) * dataStrides[d] }
            offsets[i] = offset
            var d = rank - 1
            while d >= 0 {
                coordinate[d] += 1
                if coordinate[d] < indices.shape[d] { break }
                coordinate[d] = 0
                d -= 1
            }
        }
        return [try pick(context, data, flatOffsets: offsets, rowWidth: 1, shape: indices.shape)]
    }

    static func gatherND(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let data = try context.input(0), indices = try context.integer(1)
        let batchDims = try context.int("batch_dims", default: 0)
        guard let depth = indices.shape.last, indices.shape.count >= 1, batchDims >= 0,
              batchDims < min(indices.shape.count, data.shape.count),
              depth >= 1, batchDims + depth <= data.shape.count,
              Array(indices.shape.prefix(batchDims)) == Array(data.shape.prefix(batchDims)) else {
            throw context.error("indices \(indices.shape) do not index data \(data.shape) with batch_dims \(batchDims)")
        }
        let batchCount = data.shape.prefix(batchDims).reduce(1, *)
        let indexed = Array(data.shape[batchDims ..< batchDims + depth])
        let rowWidth = data.shape[(batchDims + depth)...].reduce(1, *)
        let rowsPerBatch = indexed.reduce(1, *)
        let tuples = indices.count / depth
        let tuplesPerBatch = batchCount == 0 ? 0 : tuples / batchCount
        var rows = [Int](repeating: 0, count: tuples)
        for t in 0 ..< tuples {
            var row = 0
            for k in 0 ..< depth {
                let index = try resolvedIndices(context, [indices.values[t * depth + k]], size: indexed[k])[0]
                row = row * indexed[k] + index
            }
            rows[t] = (t / max(tuplesPerBatch, 1)) * rowsPerBatch + row
        }
        let shape = Array(indices.shape.dropLast()) + Array(data.shape[(batchDims + depth)...])
        return [try pick(context, data, flatOffsets: rows.map { $0 * rowWidth }, rowWidth: rowWidth, shape: shape)]
    }

    /// Rows of `rowWidth` elements starting at `flatOffsets` (multiples of the width) of `data` in row-major
    /// order, arranged in `shape`.
    static func pick(_ context: ONNXNodeContext, _ data: ONNXValue, flatOffsets: [Int], rowWidth: Int,
                     shape: [Int]) throws -> ONNXValue {
        switch data {
        case .integer(let tensor):
            var values: [Int] = []
            values.reserveCapacity(flatOffsets.count * rowWidth)
            for offset in flatOffsets { values.append(contentsOf: tensor.values[offset ..< offset + rowWidth]) }
            return .integer(IntegerTensor(shape: shape, values: values, dataType: tensor.dataType))
        case .float(let tensor):
            let rowCount = rowWidth == 0 ? 0 : tensor.count / rowWidth
            guard rowCount < 1 << 24 else { throw context.error("data \(tensor.shape) is too large to index") }
            let rows = try tensor.reshape([rowCount, rowWidth])
            let ids = Tensor(flatOffsets.map { Float($0 / max(rowWidth, 1)) })
            return .float(try embedding(indices: ids, weight: rows).reshape(shape))
        }
    }
}
