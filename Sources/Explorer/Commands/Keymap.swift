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
        /// What it does, for the help overlay; empty for a key another entry's line already explains (`[` beside
        /// `]`), so help still fits 80 × 24.
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

    /// The bindings as the help overlay takes them, then what the tree's marks mean (they are not keys, but a
    /// first-time user meets them before anything else).
    public var helpBindings: [KeyBinding] {
        entries.filter { !$0.help.isEmpty }.map { KeyBinding($0.keyLabel, $0.help) } + Keymap.legend
    }

    /// The tree's marks, explained at the end of the help.
    static let legend = [
        KeyBinding("◆N", "same N: one shared tensor"),
        KeyBinding("∇", "gradient norm (after b)"),
    ]

    private static func c(_ character: Character) -> InputEvent { .character(character) }

    /// nnview's keys.
    public static let `default` = Keymap(entries: [
        Entry([c("j"), .down], "j/↓", .moveDown, "down (detail: cursor down)"),
        Entry([c("k"), .up], "k/↑", .moveUp, "up (detail: cursor up)"),
        Entry([c("h"), .left], "h/←", .moveLeft, "collapse (detail: left)"),
        Entry([c("l"), .right], "l/→", .moveRight, "expand (detail: right)"),
        Entry([.pageUp], "PgUp", .pageUp(rows: 0), "page up (detail: pan up)"),
        Entry([.pageDown], "PgDn", .pageDown(rows: 0), "page down (detail: pan down)"),
        Entry([.home], "Home", .home, "first row (detail: 1st col)"),
        Entry([.end], "End", .end, "last row (detail: last col)"),
        Entry([.enter], "Enter", .toggle, "expand / collapse"),
        Entry([c("*")], "*", .expandAllBelow, "expand all below (root: all)"),
        Entry([c("c")], "c", .collapseAllBelow, "collapse all below"),
        Entry([.tab, .backTab], "Tab", .switchPane, "switch pane: tree / detail"),
        Entry([c("f")], "f", .forward, "forward pass on the input"),
        Entry([c("b")], "b", .backward, "full step (gradients add up)"),
        Entry([c("z")], "z", .zeroGrad, "zero the gradients"),
        Entry([c("s")], "s", .sgdStep, "SGD step (learning rate)"),
        Entry([c("T")], "T", .train, "train N steps (Esc stops)"),
        Entry([c("r"), c("i")], "r/i", .newInput, "new input: random / type it"),
        Entry([c("g")], "g", .toggleValueGrad, "show values / gradient"),
        Entry([c("L")], "L", .cycleLoss, "loss: sum/mean/mse/x-entropy"),
        Entry([c("]")], "[ ]", .lrUp, "learning rate down / up"),
        Entry([c("[")], "", .lrDown, ""),
        Entry([c("R")], "R", .beginLearningRate, "type the learning rate"),
        Entry([c("e")], "e", .beginEdit, "type a value at the cursor"),
        Entry([c("o")], "o", .cycleEditScope, "F S Z I scope: all/row/col"),
        Entry([c("F")], "F", .beginFill, "fill the scope with a value"),
        Entry([c("S")], "S", .beginScale, "scale the scope by a factor"),
        Entry([c("Z")], "Z", .zero(.selected), "zero the scope"),
        Entry([c("I")], "I", .beginReinit, "re-init: normal(0, 0.02)…"),
        Entry([c("u")], "u", .undo, "undo an edit, step or run"),
        Entry([.ctrl("r")], "Ctrl-R", .redo, "redo"),
        Entry([c("+"), c("=")], "+ -", .zoomIn, "zoom the heatmap in / out"),
        Entry([c("-")], "", .zoomOut, ""),
        Entry([c(">")], "< >", .leadingIndexUp, "next/prev slice or head"),
        Entry([c("<")], "", .leadingIndexDown, ""),
        Entry([c("m")], "m", .attentionMean, "attention: mean of heads"),
        Entry([c("}")], "{ }", .nextSample, "attention: next/prev text"),
        Entry([c("{")], "", .previousSample, ""),
        Entry([c("N")], "N", .jumpToNonFinite, "go to first NaN/Inf output"),
        Entry([c(":")], ":", .beginGoTo, "go to index (1234, 7)"),
        Entry([c("w")], "w", .save, "save (each dtype kept)"),
        Entry([c("W")], "W", .beginSaveAs, "save as .safetensors/.gguf/…"),
        Entry([c("/")], "/ n", .beginSearch, "search names / next match"),
        Entry([c("n")], "", .searchNext, ""),
        Entry([c("t")], "t", .nextTheme, "next colour theme"),
        Entry([c("?")], "?", .toggleHelp, "this help"),
        Entry([c("q"), .ctrl("c")], "q", .quit, "quit (asks if unsaved)"),
    ])
}
