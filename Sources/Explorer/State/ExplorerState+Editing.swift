import NNCore
import NNModules
import ModelFiles
import TerminalUI

extension ExplorerState {
    // MARK: Prompts

    func beginPrompt(_ purpose: PromptPurpose) throws -> Reaction {
        let label: String
        var text = ""
        switch purpose {
        case .editElement:
            let target = try editTarget()
            let now = target.source.element(row: target.view.cursor.row, col: target.view.cursor.col)
            label = "new value for \(target.entry.names.first ?? "")\(indexText(target)) (now \(now.map { ValueFitting.text($0, as: target.entry.elementType) } ?? "?")): "
        case .fill:
            _ = try editTarget()
            label = "fill \(scopeName(.selected)) with: "
        case .scale:
            _ = try editTarget()
            label = "scale \(scopeName(.selected)) by: "
        case .reinit:
            _ = try editTarget()
            // Empty, not pre-filled: what is typed is the name (a pre-filled "normal" turned "xavier" into
            // "normalxavier"); Enter alone takes the default.
            label = "re-initialise \(scopeName(.selected)) with (\(InitializerSpec.examples); Enter = normal): "
        case .learningRate:
            _ = try requireRunnable("learning rate")
            label = "learning rate (now \(NumberFormat.exact(run.learningRate))): "
        case .goTo:
            guard let (entry, _, _, _) = selectedMatrix() else {
                throw ExplorerError("go to: select a tensor with elements first")
            }
            label = "go to index of \(entry.names.first ?? "") \(entry.shapeText) (e.g. 1234, 7): "
        case .input:
            return try beginInput()
        case .trainingSteps:
            return try beginTraining()
        case .saveAs:
            label = "save as (.safetensors/.npz/.npy; typing replaces, ← → edit): "
            text = lastSavedPath ?? options.savePath ?? defaultSavePath()
        }
        prompts.open(purpose, label: label, text: text, selected: purpose == .saveAs)
        return .redraw
    }

    /// Applies an editing key to the prompt's or search's line; false when it is not an editing key.
    func editLine(_ event: InputEvent) -> Bool {
        guard prompts.edit(event) else { return false }
        if case .search(let text) = prompts.mode, !text.isEmpty {
            // Incremental: jump to the first match as the name is typed; no match is not an error yet.
            if (try? search(text, startAfterCursor: false)) == nil { setStatus("no name contains '\(text)' yet") }
        }
        return true
    }

    func typeCharacter(_ c: Character) -> Reaction {
        editLine(.character(c)) ? .redraw : []
    }

    func deleteCharacter() -> Reaction {
        editLine(.backspace) ? .redraw : []
    }

    func submit() throws -> Reaction {
        switch prompts.mode {
        case .search(let text):
            _ = prompts.closePrompt()
            return try search(text, startAfterCursor: false)
        case .prompt(_, let text):
            let purpose = prompts.closePrompt()
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            switch purpose {
            case .editElement: return try setElementAtCursor(typed: trimmed)
            case .fill: return try fill(typed: trimmed, scope: .selected)
            case .scale: return try apply(.scale(try number(trimmed), .selected))
            case .reinit: return try reinitialise(trimmed.isEmpty ? "normal" : trimmed, scope: .selected)
            case .learningRate: return try setLearningRate(trimmed)
            case .goTo: return try goTo(trimmed)
            case .input: return try setSessionInput(text)
            case .trainingSteps: return try startTraining(typed: trimmed)
            case .saveAs:
                guard !trimmed.isEmpty else { throw ExplorerError("save as: no path given, nothing saved") }
                return try save(to: trimmed, confirmed: false)
            case nil: return .redraw
            }
        default:
            return []
        }
    }

    func number(_ text: String) throws -> Float {
        guard let value = Float(text) else {
            throw ExplorerError("not a number: '\(text)' (nothing changed)")
        }
        return value
    }

    // MARK: Targets of edits

    struct EditTarget {
        let entry: TensorEntry
        let view: TensorViewState
        let source: MatrixSource
        let rows: Int
        let cols: Int
    }

    /// The selected tensor, its view and its values; throws when nothing editable is selected.
    func editTarget() throws -> EditTarget {
        guard let entry = selectedEntry else {
            throw ExplorerError("edit: select a parameter or buffer in the tree first")
        }
        guard !entry.isUninitialised else {
            throw ExplorerError("edit: \(entry.names.first ?? "") is not initialised yet: run a forward pass (f) first")
        }
        guard let source = matrixSource(for: entry, showing: .value), source.rows > 0, source.cols > 0 else {
            throw ExplorerError("edit: \(entry.names.first ?? "") has no elements")
        }
        return EditTarget(entry: entry, view: detailView.view(of: entry.id), source: source,
                          rows: source.rows, cols: source.cols)
    }

    func indexText(_ target: EditTarget) -> String {
        let shape = target.entry.shape
        let c = target.view.cursor
        if let grid = kernelGrid(target.entry, view: target.view) {
            return "[" + (grid.tensorIndex(row: c.row, col: c.col) ?? []).map(String.init).joined(separator: ", ") + "]"
        }
        switch shape.count {
        case 0: return ""
        case 1: return "[\(c.row * target.cols + c.col)]"
        default:
            let index = Self.leadingIndices(of: target.view.slice, shape: shape) + [c.row, c.col]
            return "[" + index.map(String.init).joined(separator: ", ") + "]"
        }
    }

    /// Flat row-major index of matrix element (`row`, `col`) of the target's slice.
    /// For a kernel grid, the element of grid cell (`row`, `col`) (`Int.max` for a gap, which every caller's
    /// bound check drops).
    func flatIndex(_ target: EditTarget, row: Int, col: Int) -> Int {
        if let grid = kernelGrid(target.entry, view: target.view) { return grid.flatIndex(row: row, col: col) ?? Int.max }
        let sliceBase = target.entry.shape.count > 2 ? min(target.view.slice, Int.max / max(target.rows, 1)) * target.rows : 0
        return (sliceBase + row) * target.cols + col
    }

    func indices(of scope: EditScope, in target: EditTarget) -> (indices: [Int], text: String) {
        let resolved = scope == .selected ? detailView.editScope : scope
        let c = target.view.cursor
        switch resolved {
        case .row:
            // A wrapped 1-d tensor's last row may be short: only indices of real elements.
            return ((0 ..< target.cols).map { flatIndex(target, row: c.row, col: $0) }
                        .filter { $0 < target.entry.elementCount }, "row \(c.row)")
        case .column:
            return ((0 ..< target.rows).map { flatIndex(target, row: $0, col: c.col) }
                        .filter { $0 < target.entry.elementCount }, "column \(c.col)")
        case .tensor, .selected:
            return (Array(0 ..< target.entry.elementCount), "")
        }
    }

    // MARK: Edits

    func setElementAtCursor(_ value: Float) throws -> Reaction {
        try setElementAtCursor(typed: NumberFormat.exact(value))
    }

    /// Sets the cursor's element to the typed number as the tensor's element type holds it (refused when it
    /// does not fit; a note when it overflowed, underflowed or was rounded).
    func setElementAtCursor(typed text: String) throws -> Reaction {
        let target = try editTarget()
        let fitted = try ValueFitting.fit(text, into: target.entry.elementType)
        let index = flatIndex(target, row: target.view.cursor.row, col: target.view.cursor.col)
        guard index < target.entry.elementCount else { throw ExplorerError("edit: the cursor is not on an element") }
        let value = fitted.value
        let type = target.entry.elementType
        let reaction = try applyEdit(target.entry, indices: [index],
                                     label: "set \(target.entry.names.first ?? "")\(indexText(target)) = \(ValueFitting.text(value, as: type))") { _, _ in value }
        var note = fitted.note
        if target.entry.isQuantized, let kept = target.entry.tensor?.toArray()[index], kept != value {
            note = "re-quantized with its \(type.name) block: stored as \(NumberFormat.exact(kept))"
        }
        if let note { setStatus(status.text + " (\(note))") }
        return reaction
    }

    /// Fills `scope` with the typed number as the tensor's element type holds it.
    func fill(typed text: String, scope: EditScope) throws -> Reaction {
        let target = try editTarget()
        let fitted = try ValueFitting.fit(text, into: target.entry.elementType)
        let value = fitted.value
        let reaction = try editScope(scope, label: "fill with \(NumberFormat.exact(value))") { _, _ in value }
        if let note = fitted.note { setStatus(status.text + " (\(note))") }
        return reaction
    }

    func editScope(_ scope: EditScope, label: String, _ transform: (Float, Int) -> Float) throws -> Reaction {
        let target = try editTarget()
        let (indices, where_) = indices(of: scope, in: target)
        let name = target.entry.names.first ?? ""
        return try applyEdit(target.entry, indices: indices,
                             label: "\(label): \(name)\(where_.isEmpty ? "" : " " + where_)", transform)
    }

    func reinitialise(_ name: String, scope: EditScope) throws -> Reaction {
        let target = try editTarget()
        let initialiser = try InitializerSpec.parse(name)
        let scratch = Tensor.zeros(target.entry.shape)
        try initialiser(scratch, generator: &run.generator)
        let fresh = scratch.toArray()
        let (indices, where_) = indices(of: scope, in: target)
        return try applyEdit(target.entry, indices: indices,
                             label: "re-initialise (\(name.trimmingCharacters(in: .whitespaces))): \(target.entry.names.first ?? "")\(where_.isEmpty ? "" : " " + where_)") { _, i in fresh[i] }
    }

    /// Changes `indices` of `entry` to `transform(old, index)` as the entry's element type holds the result
    /// (`ValueFitting.stored`; a quantized tensor's touched blocks re-quantized, so every value of those blocks
    /// shows what the quantization keeps), remembering the old values for undo.
    func applyEdit(_ entry: TensorEntry, indices: [Int], label: String, _ transform: (Float, Int) -> Float) throws -> Reaction {
        let type = entry.elementType
        if entry.isQuantized && !GGUFRequantizer.canRequantize(type) {
            throw ExplorerError("edit: nnview cannot re-quantize \(type.name) blocks of \(entry.names.first ?? "tensor") (it re-quantizes Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K and Q6_K): nothing changed")
        }
        let tensor = try entry.editableTensor()
        let valid = indices.filter { $0 >= 0 && $0 < tensor.count }
        var touched = valid
        if case .ggml(let id) = type { touched = QuantizedBlocks.elements(of: valid, typeID: id) }
        var old: [Float] = []
        var new: [Float] = []
        try tensor.withUnsafeMutableBufferPointer { buffer in
            old = touched.map { buffer[$0] }
            for index in valid { buffer[index] = ValueFitting.stored(transform(buffer[index], index), in: type) }
            if case .ggml(let id) = type {
                do {
                    try QuantizedBlocks.requantize(buffer, blocksOf: touched, typeID: id, in: entry)
                } catch {
                    for (index, value) in zip(touched, old) { buffer[index] = value }
                    throw ExplorerError("edit: \(error): nothing changed")
                }
            }
            new = touched.map { buffer[$0] }
        }
        // A whole-tensor edit in order needs no index list (half the memory of a fill or re-init).
        let wholeTensor = touched.count == tensor.count && touched.indices.allSatisfy { touched[$0] == $0 }
        remember(EditRecord(changes: [TensorChange(entry: entry.id, indices: wholeTensor ? nil : touched,
                                                   oldValues: old, newValues: new)], label: label))
        entry.wasEdited = true
        run.modelChanged()
        history.adjustEditBalance(of: entry, by: 1)
        detailView.showing = .value
        let others = entry.names.count > 1 ? " (also \(entry.names.dropFirst().joined(separator: ", ")))" : ""
        setStatus(label + others)
        return [.redraw, .changedModel]
    }

    /// Writes the old (`undoing`) or new values of every change in `record`.
    func write(_ record: EditRecord, undoing: Bool) throws {
        run.modelChanged()
        for change in record.changes {
            let tensor = try entries[change.entry].editableTensor()
            let values = undoing ? change.oldValues : change.newValues
            try tensor.withUnsafeMutableBufferPointer { buffer in
                if let indices = change.indices {
                    for (index, value) in zip(indices, values) { buffer[index] = value }
                } else {
                    for (index, value) in zip(buffer.indices, values) { buffer[index] = value }
                }
            }
            if !record.isTrainingStep { history.adjustEditBalance(of: entries[change.entry], by: undoing ? -1 : 1) }
        }
        if record.isTrainingStep { run.stepsApplied(undoing ? -1 : 1) }
    }

    /// Records an edit or SGD step for undo (see `EditHistory.remember`); false when it was too large to keep.
    @discardableResult
    func remember(_ record: EditRecord) -> Bool { history.remember(record) }

    func undo() throws -> Reaction {
        guard let record = history.nextUndo else { throw ExplorerError("undo: nothing to undo") }
        try write(record, undoing: true)
        history.didUndo()
        setStatus("undid: \(record.label)")
        return [.redraw, .changedModel]
    }

    func redo() throws -> Reaction {
        guard let record = history.nextRedo else { throw ExplorerError("redo: nothing to redo") }
        try write(record, undoing: false)
        history.didRedo()
        setStatus("redid: \(record.label)")
        return [.redraw, .changedModel]
    }

    /// Edits that can be undone, newest last (labels, for a history view).
    public var undoLabels: [String] { history.undoStack.map(\.label) }

    /// Edits that can be redone, next last.
    public var redoLabels: [String] { history.redoStack.map(\.label) }
}
