import NNCore
import NNModules

extension Module {
    /// Loads the tensors of `archive` into this module by state-dict name (see `loadStateDict(_:strict:)`):
    /// strict by default, so missing, unexpected and shape-mismatched names are an error listing each.
    @discardableResult
    public func loadWeights(from archive: TensorArchive, strict: Bool = true) throws -> StateDictLoadReport {
        let values = try archive.stateDict()
        do {
            return try loadStateDict(values, strict: strict)
        } catch let error as StateDictError {
            throw ModelFileError("the weights do not fit the model: " + error.problems, file: archive.source)
        }
    }
}
