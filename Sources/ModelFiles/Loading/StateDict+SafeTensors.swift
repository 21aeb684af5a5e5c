import NNCore
import NNModules

extension SafeTensorsWriter {
    /// Writes a module's state dict as F32 safetensors, atomically. Each tied tensor is stored once under its
    /// lexicographically smallest name and its other names are recorded as aliases in `__metadata__`
    /// (`"4.weight": "2.weight"`), as safetensors' `save_model` does. Lazy parameters that are not initialised
    /// are skipped (they have no values yet).
    public static func write(stateDict: StateDict, metadata: [(key: String, value: String)] = [], to path: String,
                             overwrite: Bool = true) throws {
        var tensors: [Tensor] = []
        for entry in stateDict {
            guard let tensor = entry.tensor else { continue }
            let values = tensor.toArray()
            let bytes = values.withUnsafeBytes { ByteBuffer(copying: $0) }
            let tie = "\(ObjectIdentifier(tensor))"
            tensors.append(Tensor(name: entry.name, type: .f32, shape: tensor.shape, buffer: bytes, tie: tie))
        }
        try write(tensors: tensors, metadata: metadata, to: path, overwrite: overwrite, storeTiedOnce: true)
    }
}
