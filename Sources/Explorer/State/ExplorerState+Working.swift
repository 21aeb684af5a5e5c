import TerminalUI

extension ExplorerState {
    /// Elements from which an edit or a save is announced before it runs (a million take a noticeable moment).
    static let slowWorkElements = 1_000_000

    /// A "working…" line for the status when `event` is about to run an edit or save over many elements, so the
    /// screen shows that something is happening (xavier over 11.7M values takes about a second); nil otherwise.
    func workingNote(for event: InputEvent) -> String? {
        let what: String
        switch mode {
        case .prompt where event == .enter:
            switch pendingPrompt {
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
        guard elements >= Self.slowWorkElements else { return nil }
        return "working: \(what) \(NumberFormat.count(elements)) values…"
    }
}
