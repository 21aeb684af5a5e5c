import TerminalUI

/// The one table from keys to commands, with the help text the help overlay shows.
public struct Keymap: Sendable {
    /// One binding: the keys, how help writes them, the command and what it does.
    public struct Entry: Sendable {
        /// Every key that runs the command.
        public var keys: [InputEvent]
        /// The keys as help shows them (`j/↓`).
        public var keyLabel: String
        /// The command run.
        public var command: ExplorerCommand
        /// What it does, for the help overlay.
        public var help: String

        /// A binding.
        public init(_ keys: [InputEvent], _ keyLabel: String, _ command: ExplorerCommand, _ help: String) {
            self.keys = keys
            self.keyLabel = keyLabel
            self.command = command
            self.help = help
        }
    }

    /// The bindings, in the order help lists them.
    public var entries: [Entry]

    /// A keymap from bindings; the first binding of a key wins.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The command bound to `event`, if any.
    public func command(for event: InputEvent) -> ExplorerCommand? {
        entries.first { $0.keys.contains(event) }?.command
    }

    /// The bindings as the help overlay takes them.
    public var helpBindings: [KeyBinding] {
        entries.map { KeyBinding($0.keyLabel, $0.help) }
    }

    private static func c(_ character: Character) -> InputEvent { .character(character) }

    /// nnview's keys.
    public static let `default` = Keymap(entries: [
        Entry([c("j"), .down], "j/↓", .moveDown, "move down (detail pane: heatmap cursor)"),
        Entry([c("k"), .up], "k/↑", .moveUp, "move up (detail pane: heatmap cursor)"),
        Entry([c("h"), .left], "h/←", .moveLeft, "collapse / go to parent (detail: cursor left)"),
        Entry([c("l"), .right], "l/→", .moveRight, "expand (detail: cursor right)"),
        Entry([.pageUp], "PgUp", .pageUp(rows: 0), "page up (detail: pan up)"),
        Entry([.pageDown], "PgDn", .pageDown(rows: 0), "page down (detail: pan down)"),
        Entry([.home], "Home", .home, "first row (detail: first column)"),
        Entry([.end], "End", .end, "last row (detail: last column)"),
        Entry([.enter], "Enter", .toggle, "expand / collapse"),
        Entry([.tab, .backTab], "Tab", .switchPane, "switch pane (tree / detail)"),
        Entry([c("f")], "f", .forward, "forward pass on the current input"),
        Entry([c("b")], "b", .backward, "full step: forward, loss, backward (accumulates)"),
        Entry([c("z")], "z", .zeroGrad, "zero the gradients"),
        Entry([c("s")], "s", .sgdStep, "SGD step with the learning rate"),
        Entry([c("r")], "r", .newInput, "new random input batch"),
        Entry([c("g")], "g", .toggleValueGrad, "show values / gradient"),
        Entry([c("L")], "L", .cycleLoss, "next loss: sum, mean, mse, cross-entropy"),
        Entry([c("]")], "]", .lrUp, "larger learning rate"),
        Entry([c("[")], "[", .lrDown, "smaller learning rate"),
        Entry([c("e")], "e", .beginEdit, "edit the element at the heatmap cursor"),
        Entry([c("o")], "o", .cycleEditScope, "edit scope for F S Z I: tensor, cursor row, cursor column"),
        Entry([c("F")], "F", .beginFill, "fill the scope with a value"),
        Entry([c("S")], "S", .beginScale, "scale the scope by a factor"),
        Entry([c("Z")], "Z", .zero(.selected), "zero the scope"),
        Entry([c("I")], "I", .beginReinit, "re-initialise the scope (normal, xavier, kaiming, …)"),
        Entry([c("u")], "u", .undo, "undo the last edit"),
        Entry([.ctrl("r")], "Ctrl-R", .redo, "redo"),
        Entry([c("+"), c("=")], "+", .zoomIn, "zoom the heatmap in"),
        Entry([c("-")], "-", .zoomOut, "zoom the heatmap out"),
        Entry([c(">")], ">", .leadingIndexUp, "next slice of a ≥3-d tensor"),
        Entry([c("<")], "<", .leadingIndexDown, "previous slice of a ≥3-d tensor"),
        Entry([c("w")], "w", .save, "save to safetensors"),
        Entry([c("W")], "W", .beginSaveAs, "save as…"),
        Entry([c("/")], "/", .beginSearch, "search names"),
        Entry([c("n")], "n", .searchNext, "next match"),
        Entry([c("t")], "t", .nextTheme, "next colour theme"),
        Entry([c("?")], "?", .toggleHelp, "this help"),
        Entry([c("q"), .ctrl("c")], "q", .quit, "quit (asks if there are unsaved edits)"),
    ])
}
