import NNCore
import NNModules

extension SafeTensorsWriter {
    /// Writes a module's state dict as F32 safetensors (I64 for integer buffers), atomically. Each tied tensor is stored once under its
    /// lexicographically smallest name and its other names are recorded as aliases in `__metadata__`
    /// (`"4.weight": "2.weight"`), as safetensors' `save_model` does. Lazy parameters that are not initialised
    /// are skipped (they have no values yet).
    public static func write(stateDict: StateDict, metadata: [(key: String, value: String)] = [], to path: String,
                             overwrite: Bool = true) throws {
        var tensors: [Tensor] = []
        for entry in stateDict {
            guard let tensor = entry.tensor else { continue }
            let values = tensor.toArray()
            let tie = "\(ObjectIdentifier(tensor))"
            if tensor.dtype == .int64 {
                // PyTorch's integer buffers (BatchNorm's num_batches_tracked) stay I64, as torch.save writes them.
                let integers = values.map { $0.isFinite && abs($0) < 9e18 ? Int64($0) : 0 }
                let bytes = integers.withUnsafeBytes { ByteBuffer(copying: $0) }
                tensors.append(Tensor(name: entry.name, type: .i64, shape: tensor.shape, buffer: bytes, tie: tie))
                continue
            }
            let bytes = values.withUnsafeBytes { ByteBuffer(copying: $0) }
            tensors.append(Tensor(name: entry.name, type: .f32, shape: tensor.shape, buffer: bytes, tie: tie))
        }
        try write(tensors: tensors, metadata: metadata, to: path, overwrite: overwrite, storeTiedOnce: true)
    }
}
