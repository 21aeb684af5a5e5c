import TerminalUI

extension ExplorerState {
    /// A "working…" line for the status when `event` is about to run an edit or save over many elements, so the
    /// screen shows that something is happening (xavier over 11.7M values takes about a second); nil otherwise.
    func workingNote(for event: InputEvent) -> String? {
        let what: String
        switch prompts.mode {
        case .prompt where event == .enter:
            switch prompts.pendingPrompt {
            case .fill: what = "filling"
            case .scale: what = "scaling"
            case .reinit: what = "re-initialising"
            case .saveAs: what = "saving"
            default: return nil
            }
        case .normal:
            switch keymap.command(for: event) {
            case .zero: what = "zeroing"
            case .save: what = "saving"
            case .undo: what = "undoing"
            case .redo: what = "redoing"
            default: return nil
            }
        default:
            return nil
        }
        let elements = what == "saving" ? parameterTotals().total : (selectedEntry?.elementCount ?? 0)
        guard elements >= options.settings.slowWorkElements else { return nil }
        return "working: \(what) \(NumberFormat.count(elements)) values…"
    }
}
