extension TensorRecord {
    /// The one key that says which records are one tensor in the file: records with the same storage key, offset,
    /// shape and strides are the same tensor under two names (tied weights, safetensors aliases). Used by the state
    /// dict, tied groups, summaries, diff, the writers and the explorer's tree.
    public var tieKey: String {
        "\(storage.key)|\(elementOffset)|\(shape)|\(strides)"
    }
}
