import TerminalUI

extension ExplorerState {
    /// Applies a key, mouse or resize event: in normal mode through the keymap; in prompt, search, question and
    /// help modes as text input and answers.
    @discardableResult
    public func handle(_ event: InputEvent) -> Reaction {
        if let reaction = handleDuringTraining(event) { return reaction }
        switch mode {
        case .prompt, .search:
            switch event {
            case .enter: return handle(ExplorerCommand.submit)
            case .escape, .ctrl("c"): return handle(ExplorerCommand.cancel)
            default: return editLine(event) ? .redraw : []
            }
        case .confirm:
            switch event {
            case .character("y"), .character("Y"): return handle(ExplorerCommand.confirmYes)
            case .character("n"), .character("N"), .escape, .ctrl("c"): return handle(ExplorerCommand.confirmNo)
            default: return []
            }
        case .help:
            if case .resize(let w, let h) = event { return handle(ExplorerCommand.resize(width: w, height: h)) }
            if case .mouse = event { return [] }
            // On a screen too small for every key, the movement keys scroll the help; any other key closes it.
            switch event {
            case _ where helpScrollLimit == 0: return handle(ExplorerCommand.toggleHelp)
            case .character("j"), .down: return handle(ExplorerCommand.scrollHelp(1))
            case .character("k"), .up: return handle(ExplorerCommand.scrollHelp(-1))
            case .pageDown, .character(" "): return handle(ExplorerCommand.scrollHelp(helpPageLines))
            case .pageUp: return handle(ExplorerCommand.scrollHelp(-helpPageLines))
            default: return handle(ExplorerCommand.toggleHelp)
            }
        case .normal:
            switch event {
            case .mouse(.wheelUp): return handle(ExplorerCommand.scroll(-3))
            case .mouse(.wheelDown): return handle(ExplorerCommand.scroll(3))
            case .mouse(.click): return []  // the renderer knows the layout and sends selectTreeRow/selectHeatmapCell
            case .resize(let w, let h): return handle(ExplorerCommand.resize(width: w, height: h))
            default:
                guard let command = keymap.command(for: event) else { return [] }
                return handle(command)
            }
        }
    }

    /// Applies one command. Commands that fail set an error status and change nothing else.
    @discardableResult
    public func handle(_ command: ExplorerCommand) -> Reaction {
        do {
            let reaction = try apply(command)
            if reaction.contains(.changedModel) { modelVersion &+= 1 }
            return reaction
        } catch {
            setError("\(error)")
            return [.redraw, .error]
        }
    }

    func apply(_ command: ExplorerCommand) throws -> Reaction {
        switch command {
        case .moveUp: return focus == .tree ? moveTreeCursor(by: -1) : moveHeatmapCursor(dRow: -1, dCol: 0)
        case .moveDown: return focus == .tree ? moveTreeCursor(by: 1) : moveHeatmapCursor(dRow: 1, dCol: 0)
        case .moveLeft: return focus == .tree ? collapse() : moveHeatmapCursor(dRow: 0, dCol: -1)
        case .moveRight: return focus == .tree ? expand() : moveHeatmapCursor(dRow: 0, dCol: 1)
        case .pageUp(let rows):
            return focus == .tree ? moveTreeCursor(by: -(rows > 0 ? rows : viewportTreeRows))
                                  : panHeatmap(dRow: -(rows > 0 ? rows : heatmapCapacity.row), dCol: 0)
        case .pageDown(let rows):
            return focus == .tree ? moveTreeCursor(by: rows > 0 ? rows : viewportTreeRows)
                                  : panHeatmap(dRow: rows > 0 ? rows : heatmapCapacity.row, dCol: 0)
        case .home: return focus == .tree ? moveTreeCursor(to: 0) : heatmapHomeEnd(end: false)
        case .end: return focus == .tree ? moveTreeCursor(to: visible.count - 1) : heatmapHomeEnd(end: true)
        case .collapse: return collapse()
        case .expand: return expand()
        case .toggle: return toggle()
        case .expandAllBelow: return setExpansionBelowCursor(true)
        case .collapseAllBelow: return setExpansionBelowCursor(false)
        case .switchPane:
            focus = focus == .tree ? .detail : .tree
            return .redraw
        case .moveHeatmapCursor(let dRow, let dCol): return moveHeatmapCursor(dRow: dRow, dCol: dCol)
        case .panHeatmap(let dRow, let dCol): return panHeatmap(dRow: dRow, dCol: dCol)
        case .zoomIn: return try zoom(by: 1)
        case .zoomOut: return try zoom(by: -1)
        case .leadingIndexUp: return selectedAttention != nil ? changeHead(by: 1) : try changeSlice(by: 1)
        case .leadingIndexDown: return selectedAttention != nil ? changeHead(by: -1) : try changeSlice(by: -1)
        case .selectTreeRow(let row): return selectTreeRow(row)
        case .selectHeatmapCell(let row, let col): return selectHeatmapCell(row: row, col: col)
        case .scroll(let delta):
            return focus == .tree ? scrollTree(by: delta) : panHeatmap(dRow: delta, dCol: 0)
        case .resize:
            clampScroll()
            return .redraw

        case .forward: return try runForward()
        case .backward: return try runBackward()
        case .zeroGrad: return try zeroGradients()
        case .sgdStep: return try sgdStep()
        case .newInput: return try drawNewInput()
        case .beginInput: return try beginInput()
        case .toggleValueGrad:
            // A module's pane switches between its captured output and the output's gradient.
            guard selectedEntry != nil || selectedOutputEntry != nil else {
                throw ExplorerError("g: select a parameter or buffer, or a module after f, to switch between values and gradient")
            }
            showing = showing == .value ? .gradient : .value
            setStatus(showing == .value ? "showing values" : "showing gradients")
            return .redraw
        case .cycleLoss: return try cycleLoss()
        case .lrUp: return try changeLearningRate(up: true)
        case .lrDown: return try changeLearningRate(up: false)
        case .train: return try beginTraining()
        case .jumpToNonFinite: return try jumpToNonFiniteOutput()
        case .attentionMean: return toggleAttentionMean()
        case .nextSample: return changeAttentionSample(by: 1)
        case .previousSample: return changeAttentionSample(by: -1)

        case .beginEdit: return try beginPrompt(.editElement)
        case .setElement(let value): return try setElementAtCursor(value)
        case .beginFill: return try beginPrompt(.fill)
        case .beginScale: return try beginPrompt(.scale)
        case .beginReinit: return try beginPrompt(.reinit)
        case .beginLearningRate: return try beginPrompt(.learningRate)
        case .beginGoTo: return try beginPrompt(.goTo)
        case .cycleEditScope:
            editScope = editScope == .tensor ? .row : editScope == .row ? .column : .tensor
            setStatus("edit scope: \(scopeName(editScope)) (F fill, S scale, Z zero, I re-initialise)")
            return .redraw
        case .fill(let value, let scope): return try fill(typed: NumberFormat.exact(value), scope: scope)
        case .scale(let factor, let scope):
            return try editScope(scope, label: "scale by \(NumberFormat.exact(factor))") { old, _ in old * factor }
        case .zero(let scope): return try editScope(scope, label: "zero") { _, _ in 0 }
        case .reinit(let name, let scope): return try reinitialise(name, scope: scope)
        case .undo: return try undo()
        case .redo: return try redo()

        case .save: return try save(to: nil, confirmed: false)
        case .beginSaveAs: return try beginPrompt(.saveAs)
        case .saveAs(let path): return try save(to: path, confirmed: false)
        case .quit: return quit()
        case .beginSearch:
            lineEditor = LineEditor()
            mode = .search(text: "")
            return .redraw
        case .search(let text): return try search(text, startAfterCursor: false)
        case .searchNext:
            guard let lastSearch else { throw ExplorerError("no search yet: press / to search names") }
            return try search(lastSearch, startAfterCursor: true)
        case .nextTheme:
            let names = options.themeNames.isEmpty ? [themeName] : options.themeNames
            let index = names.firstIndex(of: themeName).map { ($0 + 1) % names.count } ?? 0
            themeName = names[index]
            setStatus("theme: \(themeName)")
            return [.redraw, .changedTheme]
        case .toggleHelp:
            mode = mode == .help ? .normal : .help
            helpScroll = 0
            return .redraw
        case .scrollHelp(let lines):
            helpScroll = min(max(helpScroll + lines, 0), helpScrollLimit)
            return .redraw

        case .typeCharacter(let c): return typeCharacter(c)
        case .backspace: return deleteCharacter()
        case .submit: return try submit()
        case .cancel:
            mode = .normal
            pendingPrompt = nil
            pendingConfirm = nil
            setStatus("cancelled: nothing changed")
            return .redraw
        case .confirmYes: return try answer(yes: true)
        case .confirmNo: return try answer(yes: false)
        }
    }

    func scopeName(_ scope: EditScope) -> String {
        switch scope {
        case .tensor: return "whole tensor"
        case .row: return "cursor row"
        case .column: return "cursor column"
        case .selected: return scopeName(editScope)
        }
    }
}
