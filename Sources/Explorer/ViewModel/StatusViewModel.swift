/// The status line: the last message, errors flagged so they get their own colour.
public struct StatusViewModel: Equatable, Sendable {
    /// The message ("saved 4 tensors to tied.edited.safetensors").
    public var text: String
    /// True for an error (the action changed nothing).
    public var isError: Bool

    /// A status message.
    public init(text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Which pane receives movement keys.
public enum ExplorerFocus: Equatable, Sendable {
    /// The module tree (left).
    case tree
    /// The detail pane (right): arrows move the heatmap cursor.
    case detail
}

/// The input mode: what keys do right now.
public enum ExplorerMode: Equatable, Sendable {
    /// Keys run commands through the keymap.
    case normal
    /// A line of text is being typed for `label` (Enter submits, Esc cancels).
    case prompt(label: String, text: String)
    /// A yes/no question (y confirms; n or Esc declines).
    case confirm(question: String)
    /// The help overlay is open (any key closes it).
    case help
    /// A name search is being typed.
    case search(text: String)
}

/// Whether the detail pane shows a tensor's values or its gradient.
public enum ValueOrGradient: Equatable, Sendable {
    /// The values.
    case value
    /// The accumulated gradient.
    case gradient
}

/// Which elements a fill, scale, zero or re-initialise applies to.
public enum EditScope: Equatable, Sendable {
    /// Every element of the tensor.
    case tensor
    /// The heatmap cursor's row (of the matrix view of the slice shown).
    case row
    /// The heatmap cursor's column (of the slice shown).
    case column
    /// The scope currently chosen with the scope key (shown in the detail pane).
    case selected
}
