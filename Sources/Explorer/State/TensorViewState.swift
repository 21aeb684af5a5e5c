/// How one tensor is being looked at: zoom, window, cursor and (for ≥3-d) the slice.
struct TensorViewState {
    var zoom = 0
    var pan = GridPoint(row: 0, col: 0)
    var cursor = GridPoint(row: 0, col: 0)
    /// Flat index over the leading dimensions (all but the last two) of a ≥3-d tensor.
    var slice = 0
}

/// What the open prompt's text is for.
enum PromptPurpose {
    case editElement
    case fill
    case scale
    case reinit
    case saveAs
    case learningRate
    case goTo
    /// The texts a live transformer runs on.
    case input
    /// How many steps `T` trains.
    case trainingSteps
}

/// What the open yes/no question decides.
enum ConfirmPurpose {
    case overwrite(path: String)
    case quitUnsaved
}
