import TerminalUI

/// Every key the explorer reacts to, in one table per mode, with the help text the help overlay shows: the
/// handler only looks keys up here, so `?` cannot drift from what the keys do.
public struct Keymap: Sendable {
    /// One binding: the keys, how help writes them, the command and what it does.
    public struct Entry: Sendable {
        /// Every key that runs the command (a mouse action matches wherever it happens: see `normalised`).
        public var keys: [InputEvent]
        /// The keys as help shows them (`j/↓`).
        public var keyLabel: String
        /// The command run.
        public var command: ExplorerCommand
        /// What it does, for the help overlay; empty for a key another entry's line already explains (`[` beside
        /// `]`), so help still fits 80 × 24.
        public var help: String
        /// Whether help lists it: false for a key another entry's line already names (`r/i` names `i`, `[ ]`
        /// names `[`), given as `isListed: false` or as an empty help text.
        public var isListed: Bool

        /// A binding.
        public init(_ keys: [InputEvent], _ keyLabel: String, _ command: ExplorerCommand, _ help: String,
                    isListed: Bool = true) {
            self.keys = keys
            self.keyLabel = keyLabel
            self.command = command
            self.help = help
            self.isListed = isListed && !help.isEmpty
        }
    }

    /// What a mode does with an event its table does not list.
    public enum Fallback: Equatable, Sendable {
        /// Nothing.
        case ignore
        /// This command, for any key (mouse actions and resizes are still ignored).
        case command(ExplorerCommand)
        /// The event edits the prompt's line (`LineEditor`).
        case editLine
    }

    /// The bindings of one mode and what its other events do.
    public struct Table: Sendable {
        /// The bindings; the first binding of a key wins.
        public var entries: [Entry]
        /// What an event no binding lists does.
        public var fallback: Fallback

        /// A table.
        public init(_ entries: [Entry], otherwise fallback: Fallback) {
            self.entries = entries
            self.fallback = fallback
        }
    }

    /// What the handler does with an event in a mode.
    public enum Action: Equatable, Sendable {
        /// Run this command.
        case command(ExplorerCommand)
        /// Give the event to the prompt's line editor.
        case editLine
        /// Nothing.
        case ignore
    }

    /// The normal mode's keys, in the order help lists them.
    public var entries: [Entry]
    /// The normal mode's mouse actions (not listed in the key help).
    public var mouse: [Entry]
    /// Keys while the help overlay is open and taller than the screen (when it fits, any key closes it).
    public var help: Table
    /// Keys while a yes/no question is asked.
    public var confirm: Table
    /// Keys while a prompt or search line is typed.
    public var prompt: Table

    /// A keymap from the normal mode's bindings, with nnview's tables for the other modes.
    public init(entries: [Entry], mouse: [Entry] = Keymap.default.mouse, help: Table = Keymap.default.help,
                confirm: Table = Keymap.default.confirm, prompt: Table = Keymap.default.prompt) {
        self.entries = entries
        self.mouse = mouse
        self.help = help
        self.confirm = confirm
        self.prompt = prompt
    }

    /// The normal mode's command bound to `event`, if any.
    public func command(for event: InputEvent) -> ExplorerCommand? {
        let key = Self.normalised(event)
        return (entries + mouse).first { $0.keys.contains(key) }?.command
    }

    /// What `event` does in `mode` (a terminal resize is not a key: the state handles it itself).
    public func action(for event: InputEvent, in mode: ExplorerMode) -> Action {
        let table: Table
        switch mode {
        case .normal: return command(for: event).map(Action.command) ?? .ignore
        case .help: table = help
        case .confirm: table = confirm
        case .prompt, .search: table = prompt
        }
        let key = Self.normalised(event)
        if let entry = table.entries.first(where: { $0.keys.contains(key) }) { return .command(entry.command) }
        switch table.fallback {
        case .ignore: return .ignore
        case .editLine: return .editLine
        case .command(let command):
            switch event {
            case .mouse, .resize: return .ignore
            default: return .command(command)
            }
        }
    }

    /// A mouse action at its kind's one position (0, 0), so a binding for the wheel matches anywhere.
    public static func normalised(_ event: InputEvent) -> InputEvent {
        switch event {
        case .mouse(.wheelUp): return .mouse(.wheelUp(x: 0, y: 0))
        case .mouse(.wheelDown): return .mouse(.wheelDown(x: 0, y: 0))
        case .mouse(.click): return .mouse(.click(x: 0, y: 0))
        default: return event
        }
    }

    /// The bindings as the help overlay takes them, then what the tree's marks mean (they are not keys, but a
    /// first-time user meets them before anything else).
    public var helpBindings: [KeyBinding] {
        entries.filter(\.isListed).map { KeyBinding($0.keyLabel, $0.help) } + Keymap.legend
    }

    /// The tree's marks, explained at the end of the help.
    static let legend = [
        KeyBinding("◆N", "same N: one shared tensor"),
        KeyBinding("∇", "gradient norm (after b)"),
    ]

    /// Rows one turn of the mouse wheel scrolls.
    public static let wheelRows = 3

    private static func c(_ character: Character) -> InputEvent { .character(character) }

    /// nnview's keys.
    public static let `default` = Keymap(
        entries: [
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
            Entry([c("r")], "r/i", .newInput, "new input: random / type it"),
            Entry([c("i")], "i", .beginInput, "type the input", isListed: false),
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
        ],
        mouse: [
            // A click is not a command here: the renderer knows the layout and sends selectTreeRow or
            // selectHeatmapCell.
            Entry([.mouse(.wheelUp(x: 0, y: 0))], "wheel", .scroll(-wheelRows), "scroll up"),
            Entry([.mouse(.wheelDown(x: 0, y: 0))], "wheel", .scroll(wheelRows), "scroll down"),
        ],
        help: Table([
            Entry([c("j"), .down], "j/↓", .scrollHelp(1), "scroll down a line"),
            Entry([c("k"), .up], "k/↑", .scrollHelp(-1), "scroll up a line"),
            Entry([.pageDown, c(" ")], "PgDn/Space", .pageDown(rows: 0), "scroll down a page"),
            Entry([.pageUp], "PgUp", .pageUp(rows: 0), "scroll up a page"),
        ], otherwise: .command(.toggleHelp)),
        confirm: Table([
            Entry([c("y"), c("Y")], "y", .confirmYes, "yes"),
            Entry([c("n"), c("N"), .escape, .ctrl("c")], "n/Esc", .confirmNo, "no"),
        ], otherwise: .ignore),
        prompt: Table([
            Entry([.enter], "Enter", .submit, "submit"),
            Entry([.escape, .ctrl("c")], "Esc", .cancel, "cancel"),
        ], otherwise: .editLine))
}
