import NNCore

extension TensorLimits {
    /// A zero tensor of `shape` after `checkedElementCount`: the creation path for sizes read from a file or a spec
    /// (`Tensor.zeros` itself traps on a size it cannot allocate).
    public static func zeros(_ shape: [Int], limit: Int = maxElements, what: String) throws -> Tensor {
        _ = try checkedElementCount(shape, limit: limit, what: what)
        return Tensor.zeros(shape)
    }
}
