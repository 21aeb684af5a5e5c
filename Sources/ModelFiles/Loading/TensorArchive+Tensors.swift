import NNCore
import NNModules

extension TensorRecord {
    /// The record's values as a Float32 tensor (a copy; integers and half floats converted).
    ///
    /// Refuses tensors of more than `limit` elements before allocating anything.
    public func makeTensor(limit: Int = TensorLimits.maxElements) throws -> Tensor {
        let values = try floatValues(limit: limit)
        return try Tensor(values, shape: shape)
    }
}

extension TensorArchive {
    /// The archive as a state dict of Float32 tensors, in file order. Records that share storage and layout
    /// (tied weights, safetensors aliases) become one tensor object listed under each name.
    ///
    /// Refuses, before allocating anything, a tensor of more than `limit` elements and an archive whose distinct
    /// tensors total more than `totalLimit`.
    public func stateDict(limit: Int = TensorLimits.maxElements,
                          totalLimit: Int = TensorLimits.maxTotalElements) throws -> StateDict {
        // One key per record for both passes (a key formats the record's shape and strides as text).
        let keys = tieKeys
        var seen = Set<String>()
        var total = 0
        for (record, key) in zip(tensors, keys) where seen.insert(key).inserted {
            let count = try TensorLimits.checkedElementCount(record.shape, limit: limit, what: record.name)
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow, sum <= totalLimit else {
                throw ModelFileError("its tensors total more than \(totalLimit) elements (\(totalLimit / (1 << 28)) GiB as Float32), more than half this machine's memory: browse the file instead of loading it into a model",
                                     file: source)
            }
            total = sum
        }
        var byTie: [String: Tensor] = [:]
        var result = StateDict()
        for (record, key) in zip(tensors, keys) {
            let tensor: Tensor
            if let existing = byTie[key] {
                tensor = existing
            } else {
                do {
                    tensor = try record.makeTensor(limit: limit)
                } catch let error as ModelFileError {
                    throw ModelFileError("\(record.name): \(error.message)", file: error.file.isEmpty ? source : error.file)
                }
                byTie[key] = tensor
            }
            result.append(record.name, tensor)
        }
        return result
    }

    /// Groups of names that are one tensor in the file (two or more names each), in file order.
    public var tiedGroups: [[String]] {
        var order: [String] = []
        var groups: [String: [String]] = [:]
        for record in tensors {
            let key = record.tieKey
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record.name)
        }
        return order.compactMap { groups[$0] }.filter { $0.count > 1 }
    }
}
