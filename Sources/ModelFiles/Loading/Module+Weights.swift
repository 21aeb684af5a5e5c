import NNCore
import NNModules

extension Module {
    /// Loads the tensors of `archive` into this module by state-dict name (see `loadStateDict(_:strict:)`):
    /// strict by default, so missing, unexpected and shape-mismatched names are an error listing each.
    ///
    /// A training checkpoint nests the state dict under a key (`{"model": …, "optimizer": …, "epoch": 3}`, or
    /// `state_dict`, or DataParallel's `module.`): when the names don't fit at the top level but do under one
    /// prefix, that subtree is loaded, as `model.load_state_dict(checkpoint["model"])` would.
    @discardableResult
    public func loadWeights(from archive: TensorArchive, strict: Bool = true) throws -> StateDictLoadReport {
        let values = try archive.stateDict()
        do {
            let report = try loadStateDict(values, strict: strict)
            if !report.missing.isEmpty, let nested = try loadNestedStateDict(values, missing: report.missing, strict: strict) {
                return nested
            }
            return report
        } catch let error as StateDictError {
            if !error.missing.isEmpty, let nested = try loadNestedStateDict(values, missing: error.missing, strict: strict) {
                return nested
            }
            throw ModelFileError("the weights do not fit the model: " + error.problems, file: archive.source)
        }
    }

    /// Tries each prefix under which the first missing name appears (`model.0.weight` for `0.weight`), in file
    /// order, and loads the first subtree that fits strictly (or, non-strict, that leaves fewer names missing).
    /// Nil when no prefix fits; nothing is changed then.
    private func loadNestedStateDict(_ values: StateDict, missing: [String], strict: Bool) throws -> StateDictLoadReport? {
        guard let probe = missing.first else { return nil }
        var prefixes: [String] = []
        for key in values.keys where key.count > probe.count + 1 && key.hasSuffix("." + probe) {
            let prefix = String(key.dropLast(probe.count))
            if !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
        for prefix in prefixes {
            var nested = StateDict()
            for entry in values.entries where entry.name.hasPrefix(prefix) {
                nested.append(StateDict.Entry(name: String(entry.name.dropFirst(prefix.count)), value: entry.value,
                                              isBuffer: entry.isBuffer))
            }
            guard let report = try? loadStateDict(nested, strict: true) else {
                if !strict, let report = try? loadStateDict(nested, strict: false), report.missing.count < missing.count {
                    return report
                }
                continue
            }
            return report
        }
        return nil
    }
}
