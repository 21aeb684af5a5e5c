import Testing
import TerminalUI
import ModelFiles
@testable import Explorer

/// Every event the handler reacts to in each mode is in that mode's keymap table, and every binding does what its
/// command does: for each event, the state after `handle(event)` equals the state after the table's answer
/// (its command, a line edit, or nothing). So `?`'s help, which is the normal table, cannot drift from the keys.
struct KeymapModesTests {
    /// Printable ASCII, the named keys, Ctrl-letters and the mouse.
    static let events: [InputEvent] = {
        var events: [InputEvent] = (32 ... 126).map { .character(Character(UnicodeScalar($0)!)) }
        events += [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .tab, .backTab, .backspace,
                   .delete, .escape]
        events += "abcdefghijklmnopqrstuvwxyz".map { .ctrl($0) }
        events += [.mouse(.wheelUp(x: 3, y: 4)), .mouse(.wheelDown(x: 5, y: 6)), .mouse(.click(x: 1, y: 1))]
        return events
    }()

    /// A fresh explorer on tied.nn in `mode` (saving goes to a folder that does not exist, so `w` writes nothing).
    static func state(in mode: String) throws -> ExplorerState {
        let state = try ExplorerState(model: try ModelLoader.load("tied"),
                                      options: ExplorerOptions(savePath: "/nonexistent-nnview-folder/out.safetensors"))
        switch mode {
        case "normal": break
        case "help":
            state.setHelpViewport(scrollLimit: 20, pageLines: 5)
            try press(state, "?")
        case "help-fits":
            try press(state, "?")
        case "prompt":
            try press(state, "f")
            #expect(state.select(path: "0.weight"))
            try press(state, "Tab F text:1")
        case "search":
            try press(state, "/ text:we")
        case "confirm":
            try press(state, "f")
            #expect(state.select(path: "0.weight"))
            try press(state, "Tab e text:3 Enter q")
        default: Issue.record("unknown mode \(mode)")
        }
        return state
    }

    /// What a test compares of two states.
    static func summary(_ state: ExplorerState) -> String {
        "\(state.mode) | \(state.status.text) \(state.status.isError) | \(state.selectedPath ?? "-") | \(state.focus)"
            + " | \(state.helpScroll) | \(state.lineEditor.string) | \(state.wantsQuit) | \(state.themeName)"
            + " | \(state.undoLabels) | \(state.tree.cursor) \(state.tree.scrollOffset)"
    }

    @Test(arguments: ["normal", "help", "help-fits", "prompt", "search", "confirm"])
    func theHandlerDoesWhatTheTableSays(mode: String) throws {
        let keymap = Keymap.default
        for event in Self.events {
            let byHandler = try Self.state(in: mode)
            let expectedMode = byHandler.mode
            let reaction = byHandler.handle(event)
            let byTable = try Self.state(in: mode)
            let expected: Reaction
            switch keymap.action(for: event, in: expectedMode) {
            case .command(let command):
                // A help that fits has nothing to scroll: every key closes it.
                if mode == "help-fits" { expected = byTable.handle(.toggleHelp) } else { expected = byTable.handle(command) }
            case .editLine: expected = byTable.editLine(event) ? .redraw : []
            case .ignore:
                if mode == "help-fits", case .mouse = event { expected = [] }
                else if mode == "help-fits" { expected = byTable.handle(.toggleHelp) } else { expected = [] }
            }
            #expect(reaction == expected, "\(mode): \(event)")
            #expect(Self.summary(byHandler) == Self.summary(byTable), "\(mode): \(event)")
        }
    }

    @Test func everyBindingOfEveryModeReachesItsCommand() {
        let keymap = Keymap.default
        let tables: [(ExplorerMode, [Keymap.Entry])] = [
            (.normal, keymap.entries + keymap.mouse), (.help, keymap.help.entries),
            (.confirm(question: "?"), keymap.confirm.entries), (.prompt(label: "", text: ""), keymap.prompt.entries),
            (.search(text: ""), keymap.prompt.entries),
        ]
        for (mode, entries) in tables {
            var seen = Set<String>()
            for entry in entries {
                // A key without a help line of its own (`[` beside `]`) is named on another entry's line (TreeTests).
                #expect(!entry.help.isEmpty || !entry.isListed, "\(entry.keyLabel) has no help")
                for key in entry.keys {
                    #expect(seen.insert("\(key)").inserted, "\(key) bound twice in \(mode)")
                    #expect(keymap.action(for: key, in: mode) == .command(entry.command), "\(key) in \(mode)")
                }
            }
        }
    }

    @Test func theWheelScrollsWhereverItTurns() {
        #expect(Keymap.default.command(for: .mouse(.wheelUp(x: 70, y: 9))) == .scroll(-Keymap.wheelRows))
        #expect(Keymap.default.command(for: .mouse(.wheelDown(x: 0, y: 30))) == .scroll(Keymap.wheelRows))
        #expect(Keymap.default.command(for: .mouse(.click(x: 2, y: 2))) == nil, "the renderer handles clicks")
    }
}
