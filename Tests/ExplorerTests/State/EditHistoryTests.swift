import Testing
import NNCore
@testable import Explorer

/// EditHistory alone: the undo/redo stacks, their value budget, and the set of entries with unsaved edits.
struct EditHistoryTests {
    func record(_ label: String, values: Int) -> EditRecord {
        EditRecord(changes: [TensorChange(entry: 0, indices: nil, oldValues: [Float](repeating: 0, count: values),
                                          newValues: [Float](repeating: 1, count: values))], label: label)
    }

    @Test func undoAndRedoMoveRecordsBetweenTheStacks() {
        var history = EditHistory(budget: 100)
        history.remember(record("a", values: 1))
        history.remember(record("b", values: 1))
        #expect(history.nextUndo?.label == "b")
        history.didUndo()
        #expect(history.nextUndo?.label == "a")
        #expect(history.nextRedo?.label == "b")
        history.didRedo()
        #expect(history.undoStack.map(\.label) == ["a", "b"])
        #expect(history.redoStack.isEmpty)
    }

    @Test func aNewRecordClearsRedo() {
        var history = EditHistory(budget: 100)
        history.remember(record("a", values: 1))
        history.didUndo()
        #expect(history.nextRedo?.label == "a")
        history.remember(record("b", values: 1))
        #expect(history.nextRedo == nil)
        #expect(history.undoStack.map(\.label) == ["b"])
    }

    @Test func theOldestRecordsGoFirstWhenOverTheBudget() {
        var history = EditHistory(budget: 10)
        let kept = ["a", "b", "c"].map { history.remember(record($0, values: 4)) }
        #expect(kept == [true, true, true])
        // 12 values > 10: "a" is forgotten.
        #expect(history.undoStack.map(\.label) == ["b", "c"])
        // A record over the budget on its own is not kept, and the others stay.
        let keptHuge = history.remember(record("huge", values: 11))
        #expect(!keptHuge)
        #expect(history.undoStack.map(\.label) == ["b", "c"])
    }

    @Test func undoingAnEmptyHistoryChangesNothing() {
        var history = EditHistory(budget: 10)
        history.didUndo()
        history.didRedo()
        #expect(history.nextUndo == nil && history.nextRedo == nil)
    }

    @Test func editedEntriesFollowTheEditBalance() throws {
        var history = EditHistory(budget: 10)
        let first = TensorEntry(id: 0, kind: .parameter, buffer: Tensor.zeros([2]))
        let second = TensorEntry(id: 1, kind: .parameter, buffer: Tensor.zeros([2]))
        history.adjustEditBalance(of: first, by: 1)
        history.adjustEditBalance(of: second, by: 1)
        #expect(history.editedEntries == [0, 1])
        #expect(history.hasUnsavedEdits)
        // Undoing the only edit of `second` makes it clean again.
        history.adjustEditBalance(of: second, by: -1)
        #expect(history.editedEntries == [0])
        history.markSaved([first, second])
        #expect(!history.hasUnsavedEdits)
        #expect(first.unsavedEditBalance == 0 && !first.isEdited)
    }
}
