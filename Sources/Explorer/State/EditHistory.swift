/// The explorer's undo and redo stacks (hand edits and SGD steps, as `EditRecord`s) under a memory budget, and
/// which tensor entries hold hand edits not yet saved.
///
/// It only keeps records; writing a record's values into the tensors is the caller's job (the state knows the
/// entries), which then moves the record with `didUndo` / `didRedo` once the write succeeded.
struct EditHistory {
    /// Values the history may hold (old and new values each, counted by `EditRecord.elementCount`). Older records
    /// are forgotten to stay under it; a record larger than it on its own is not kept.
    let budget: Int
    /// Records that can be undone, newest last.
    private(set) var undoStack: [EditRecord] = []
    /// Records that can be redone, next last.
    private(set) var redoStack: [EditRecord] = []
    /// Ids of the entries with unsaved hand edits (`unsavedEditBalance != 0`): what the header's "unsaved" mark
    /// reads every frame, so a model of 100k tensors is not scanned per frame.
    private(set) var editedEntries = Set<Int>()

    /// An empty history holding at most `budget` values.
    init(budget: Int) {
        self.budget = budget
    }

    /// Puts `record` on the undo stack (dropping the oldest records beyond the budget) and clears redo.
    /// Returns false when the record alone is over the budget and was not kept.
    @discardableResult
    mutating func remember(_ record: EditRecord) -> Bool {
        redoStack.removeAll()
        guard record.elementCount <= budget else { return false }
        undoStack.append(record)
        var total = undoStack.reduce(0) { $0 + $1.elementCount }
        while total > budget, let oldest = undoStack.first {
            total -= oldest.elementCount
            undoStack.removeFirst()
        }
        return true
    }

    /// The record `u` would take back.
    var nextUndo: EditRecord? { undoStack.last }

    /// The record `Ctrl-R` would apply again.
    var nextRedo: EditRecord? { redoStack.last }

    /// Moves the undone record (`nextUndo`) to the redo stack.
    mutating func didUndo() {
        if let record = undoStack.popLast() { redoStack.append(record) }
    }

    /// Moves the redone record (`nextRedo`) back to the undo stack.
    mutating func didRedo() {
        if let record = redoStack.popLast() { undoStack.append(record) }
    }

    /// Changes an entry's count of unsaved hand edits, keeping `editedEntries` in step.
    mutating func adjustEditBalance(of entry: TensorEntry, by delta: Int) {
        entry.unsavedEditBalance += delta
        if entry.isEdited { editedEntries.insert(entry.id) } else { editedEntries.remove(entry.id) }
    }

    /// After a save: no entry holds unsaved edits any more (`entries` are looked up by id).
    mutating func markSaved(_ entries: [TensorEntry]) {
        for index in editedEntries { entries[index].unsavedEditBalance = 0 }
        editedEntries.removeAll()
    }

    /// True while some entry holds an unsaved hand edit.
    var hasUnsavedEdits: Bool { !editedEntries.isEmpty }
}
