import NNCore
import NNModules

/// The first module call, in call order, whose output holds NaN or ±Inf: where non-finite values appeared in a
/// forward pass (a parent's output is bad because its child's is, so the innermost call that finished first is
/// the one named). The status line names it and `N` moves the tree cursor to it.
struct NonFiniteOutput: Equatable {
    /// The call site's dotted path ("" for the root).
    let path: String
    /// Which call of that module instance it was, from 1.
    let callNumber: Int
    /// The module's type name.
    let typeName: String

    /// `first non-finite output: transformer.h.1.mlp (call 1)`.
    var statusText: String {
        "first non-finite output: \(path.isEmpty ? "the model" : path) (call \(callNumber))"
    }

    /// The first call whose output is not finite. An activation capture's records are in the order the calls
    /// finished, so its first bad record is where the values first went bad; when the capture kept nothing or
    /// stopped at its budget, the forward trace (every call, in the order calls started) is read instead, taking
    /// the first bad call none of whose own calls is bad.
    static func find(capture: ActivationCapture?, trace: ForwardTrace?) -> NonFiniteOutput? {
        if let capture, !capture.records.isEmpty, capture.isComplete {
            return capture.records.first { hasNonFinite($0.output) }
                .map { NonFiniteOutput(path: $0.path, callNumber: $0.callNumber, typeName: $0.typeName) }
        }
        guard let records = trace?.records else { return nil }
        let bad = records.indices.filter { index in records[index].output.map(hasNonFinite) ?? false }
        // In start order a call's own calls follow it until the next call at a path outside it.
        func isInside(_ inner: String, _ outer: String) -> Bool {
            outer.isEmpty ? !inner.isEmpty : inner.hasPrefix(outer + ".")
        }
        guard let first = bad.first(where: { index in
            !bad.contains { $0 > index && isInside(records[$0].path, records[index].path) }
        }) else { return nil }
        let record = records[first]
        let callNumber = records[...first].filter { $0.path == record.path }.count
        return NonFiniteOutput(path: record.path, callNumber: callNumber, typeName: record.typeName)
    }

    static func hasNonFinite(_ tensor: Tensor) -> Bool {
        NonFiniteCheck.firstNonFinite(in: tensor) != nil
    }
}
