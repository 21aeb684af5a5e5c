import NNCore
import NNModules

extension TensorArchive {
    /// A live model's state dict as an archive of F32 records, so the tools that work on files (diff, convert)
    /// work on a spec too. Tied tensors become records with the same storage, exactly as a file's ties would;
    /// lazy parameters that are not initialised have no values and are left out.
    public init(stateDict: StateDict, source: String) {
        var records: [TensorRecord] = []
        var storages: [ObjectIdentifier: StorageReference] = [:]
        for entry in stateDict {
            guard let tensor = entry.tensor else { continue }
            let identity = ObjectIdentifier(tensor)
            let storage: StorageReference
            if let existing = storages[identity] {
                storage = existing
            } else {
                let values = tensor.toArray()
                let buffer = values.withUnsafeBytes { ByteBuffer(copying: $0) }
                storage = StorageReference(buffer: buffer, byteOffset: 0, byteCount: buffer.count,
                                           key: "state/\(records.count)")
                storages[identity] = storage
            }
            records.append(TensorRecord(name: entry.name, type: .f32, shape: tensor.shape, storage: storage))
        }
        self.init(tensors: records, source: source, format: "spec")
    }

    /// Each name's tie key (records with equal keys are one tensor).
    var tieKeys: [String] { tensors.map(\.tieKey) }
}
