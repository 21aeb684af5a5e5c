import TerminalUI

/// What keys are typed into besides commands: the mode (normal, prompt, search, question, help), the line being
/// typed with what it is for, the open yes/no question, and the last search. Its invariant: a prompt's purpose
/// is set exactly while the mode is `.prompt`, a question's while it is `.confirm`, and the mode's text is the
/// line editor's.
struct PromptState {
    /// What keys do now.
    private(set) var mode: ExplorerMode = .normal
    /// The prompt's or search's line being typed.
    private(set) var lineEditor = LineEditor()
    /// What the open prompt's text is for.
    private(set) var pendingPrompt: PromptPurpose?
    /// What the open question decides.
    private(set) var pendingConfirm: ConfirmPurpose?
    /// The text of the last search, for `n`.
    var lastSearch: String?

    /// Opens a prompt for `purpose` labelled `label`, its line holding `text` (selected: typing replaces it).
    mutating func open(_ purpose: PromptPurpose, label: String, text: String, selected: Bool) {
        pendingPrompt = purpose
        lineEditor = LineEditor(text, selected: selected)
        mode = .prompt(label: label, text: text)
    }

    /// Opens an empty search line.
    mutating func openSearch() {
        lineEditor = LineEditor()
        mode = .search(text: "")
    }

    /// Asks `question` (y/n) deciding `purpose`.
    mutating func ask(_ purpose: ConfirmPurpose, question: String) {
        pendingConfirm = purpose
        mode = .confirm(question: question)
    }

    /// Applies an editing key to the line; true when it was one and a prompt or search is open (the mode's
    /// text then follows the line).
    mutating func edit(_ event: InputEvent) -> Bool {
        guard lineEditor.apply(event) else { return false }
        let text = lineEditor.string
        switch mode {
        case .prompt(let label, _): mode = .prompt(label: label, text: text)
        case .search: mode = .search(text: text)
        default: return false
        }
        return true
    }

    /// Closes the prompt (or search), returning what it was for (nil for a search).
    mutating func closePrompt() -> PromptPurpose? {
        let purpose = pendingPrompt
        pendingPrompt = nil
        mode = .normal
        return purpose
    }

    /// Closes the question, returning what it decided.
    mutating func closeQuestion() -> ConfirmPurpose? {
        let purpose = pendingConfirm
        pendingConfirm = nil
        mode = .normal
        return purpose
    }

    /// Closes whatever is open.
    mutating func cancel() {
        mode = .normal
        pendingPrompt = nil
        pendingConfirm = nil
    }

    /// Opens or closes the help overlay.
    mutating func toggleHelp() {
        mode = mode == .help ? .normal : .help
    }
}
