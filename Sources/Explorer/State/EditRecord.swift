/// One undoable edit as its inverse: which elements of which tensors changed, from what to what. Undo writes
/// every change's `oldValues` back, redo writes the `newValues` again. A hand edit changes one tensor; an SGD
/// step changes every parameter that had a gradient.
struct EditRecord {
    /// The changes, one per tensor entry.
    let changes: [TensorChange]
    /// For the status line ("fill 2.weight row 3 with 0").
    let label: String
    /// An SGD step rather than a hand edit: counted in `unsavedSteps`, not in the entries' edit marks (✎).
    var isTrainingStep = false

    /// Elements remembered by this record (old and new values each), for the undo memory budget.
    var elementCount: Int { changes.reduce(0) { $0 + $1.oldValues.count } }
}

/// The changed elements of one tensor entry.
struct TensorChange {
    /// The tensor entry changed.
    let entry: Int
    /// Flat row-major indices of the changed elements; nil when every element changed (an SGD step), so a
    /// whole-tensor change stores no index list.
    let indices: [Int]?
    let oldValues: [Float]
    let newValues: [Float]
}
