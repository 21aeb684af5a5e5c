/// Everything a person can ask the explorer to do. Keys map to commands through `Keymap`; the renderer turns mouse
/// clicks into `selectTreeRow` / `selectHeatmapCell`.
public enum ExplorerCommand: Equatable, Sendable {
    // Movement (in the focused pane: tree rows, or the heatmap cursor in the detail pane).
    /// One row (or heatmap cell) up.
    case moveUp
    /// One row (or heatmap cell) down.
    case moveDown
    /// One heatmap cell left (in the tree: collapse).
    case moveLeft
    /// One heatmap cell right (in the tree: expand).
    case moveRight
    /// A page up (`rows` rows; 0 means the viewport's height; in the help overlay, a page of help).
    case pageUp(rows: Int)
    /// A page down (`rows` rows; 0 means the viewport's height; in the help overlay, a page of help).
    case pageDown(rows: Int)
    /// The first row (or heatmap column).
    case home
    /// The last row (or heatmap column).
    case end
    /// Collapse the selected module, or go to its parent.
    case collapse
    /// Expand the selected module.
    case expand
    /// Expand or collapse the selected module.
    case toggle
    /// Expand the selected module and every module below it (on the root: the whole tree).
    case expandAllBelow
    /// Collapse the selected module and every module below it.
    case collapseAllBelow
    /// Switch focus between tree and detail pane.
    case switchPane
    /// Moves the heatmap cursor by (`dRow`, `dCol`) grid cells.
    case moveHeatmapCursor(dRow: Int, dCol: Int)
    /// Moves the heatmap window by (`dRow`, `dCol`) grid cells.
    case panHeatmap(dRow: Int, dCol: Int)
    /// Zooms the heatmap in (smaller blocks), down to single elements.
    case zoomIn
    /// Zooms the heatmap out.
    case zoomOut
    /// The next leading index of a ≥3-d tensor.
    case leadingIndexUp
    /// The previous leading index of a ≥3-d tensor.
    case leadingIndexDown
    /// Selects visible tree row `index` (mouse click); clicking the selected module toggles it.
    case selectTreeRow(Int)
    /// Puts the heatmap cursor on grid cell (`row`, `col`) of the last grid drawn (mouse click).
    case selectHeatmapCell(row: Int, col: Int)
    /// Scrolls the focused pane by `delta` rows (mouse wheel).
    case scroll(Int)
    /// The terminal now has this size (the renderer reports the pane sizes through `setViewport`).
    case resize(width: Int, height: Int)

    // Live model.
    /// Runs a forward pass on the current input.
    case forward
    /// A full step: forward, loss, backward, accumulating into the gradients (no zeroing).
    case backward
    /// Zeroes every gradient.
    case zeroGrad
    /// `p -= lr * p.grad` for every parameter with a gradient.
    case sgdStep
    /// Draws a new random input batch of the same shape.
    case newInput
    /// Type the input a live model runs on (texts, a photo's path, an input file; a spec draws a random batch).
    case beginInput
    /// Shows values or gradients in the detail pane.
    case toggleValueGrad
    /// The next loss (sum → mean → mse → cross-entropy).
    case cycleLoss
    /// A larger learning rate (1-2-5 steps).
    case lrUp
    /// A smaller learning rate.
    case lrDown
    /// Asks for a number of steps and trains: forward, loss, backward, SGD per step (one undo step in all).
    case train
    /// Moves the tree cursor to the first module whose output went non-finite in the last forward pass.
    case jumpToNonFinite

    // Attention.
    /// Shows the mean over the heads of the selected attention module (again: back to the head).
    case attentionMean
    /// The next text of the batch in the attention view.
    case nextSample
    /// The previous text of the batch in the attention view.
    case previousSample

    // Editing.
    /// Opens the prompt to type a new value for the element at the heatmap cursor.
    case beginEdit
    /// Sets the element at the heatmap cursor.
    case setElement(Float)
    /// Opens the prompt for a fill value.
    case beginFill
    /// Opens the prompt for a scale factor.
    case beginScale
    /// Opens the prompt for an initialiser with its arguments (`normal(0, 0.02)`).
    case beginReinit
    /// Opens the prompt for a learning rate.
    case beginLearningRate
    /// Opens the prompt for an index to move the heatmap cursor to (`1234, 7`).
    case beginGoTo
    /// Cycles the edit scope: tensor → row → column.
    case cycleEditScope
    /// Sets every element in `scope` to `value`.
    case fill(Float, EditScope)
    /// Multiplies every element in `scope` by `factor`.
    case scale(Float, EditScope)
    /// Sets every element in `scope` to 0.
    case zero(EditScope)
    /// Re-initialises `scope` with an initialiser spec (`normal(0, 0.02)`, `xavier_uniform`, `kaiming`, …).
    case reinit(String, EditScope)
    /// Undoes the last edit or SGD step.
    case undo
    /// Redoes the last undone edit.
    case redo

    // Files and app.
    /// Saves to the default path (asks before overwriting).
    case save
    /// Opens the prompt for a path to save to.
    case beginSaveAs
    /// Saves to `path` (asks before overwriting).
    case saveAs(String)
    /// Quits (asks first when there are unsaved edits).
    case quit
    /// Opens the search prompt.
    case beginSearch
    /// Selects the next row whose path contains `text` (case-insensitive), expanding its parents.
    case search(String)
    /// The next match of the last search.
    case searchNext
    /// The next colour theme.
    case nextTheme
    /// Opens or closes the help overlay.
    case toggleHelp
    /// Scrolls the help overlay by this many lines (when it does not fit the screen).
    case scrollHelp(Int)

    // Prompt and confirm input.
    /// Types a character into the prompt or search field.
    case typeCharacter(Character)
    /// Deletes the last character of the prompt or search field.
    case backspace
    /// Submits the prompt or search.
    case submit
    /// Cancels the prompt, search or question.
    case cancel
    /// Answers yes to the question.
    case confirmYes
    /// Answers no to the question.
    case confirmNo
}
