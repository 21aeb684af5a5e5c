import TerminalUI

extension ExplorerState {
    /// Applies a key, mouse or resize event as the keymap's table for the current mode says (`Keymap.action`): a
    /// command, a line edit or nothing. A resize is not a key: in normal and help mode it lays the panes out again.
    /// A help overlay that fits the screen has nothing to scroll, so there every key closes it.
    @discardableResult
    public func handle(_ event: InputEvent) -> Reaction {
        if let reaction = handleDuringTraining(event) { return reaction }
        if case .resize(let width, let height) = event, mode == .normal || mode == .help {
            return handle(ExplorerCommand.resize(width: width, height: height))
        }
        if mode == .help, helpScrolling.limit == 0 {
            if case .mouse = event { return [] }
            return handle(ExplorerCommand.toggleHelp)
        }
        switch keymap.action(for: event, in: mode) {
        case .command(let command): return handle(command)
        case .editLine: return editLine(event) ? .redraw : []
        case .ignore: return []
        }
    }

    /// Applies one command. Commands that fail set an error status and change nothing else.
    @discardableResult
    public func handle(_ command: ExplorerCommand) -> Reaction {
        do {
            let reaction = try apply(command)
            if reaction.contains(.changedModel) { caches.modelChanged() }
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
        case .pageUp(let rows) where mode == .help:
            helpScrolling.scroll(by: -(rows > 0 ? rows : helpScrolling.pageLines))
            return .redraw
        case .pageDown(let rows) where mode == .help:
            helpScrolling.scroll(by: rows > 0 ? rows : helpScrolling.pageLines)
            return .redraw
        case .pageUp(let rows):
            return focus == .tree ? moveTreeCursor(by: -(rows > 0 ? rows : treeCursor.viewportRows))
                                  : panHeatmap(dRow: -(rows > 0 ? rows : detailView.heatmapCapacity.row), dCol: 0)
        case .pageDown(let rows):
            return focus == .tree ? moveTreeCursor(by: rows > 0 ? rows : treeCursor.viewportRows)
                                  : panHeatmap(dRow: rows > 0 ? rows : detailView.heatmapCapacity.row, dCol: 0)
        case .home: return focus == .tree ? moveTreeCursor(to: 0) : heatmapHomeEnd(end: false)
        case .end: return focus == .tree ? moveTreeCursor(to: treeCursor.visible.count - 1) : heatmapHomeEnd(end: true)
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
            treeCursor.clampScroll()
            return .redraw

        case .forward: return try recordingFailure { try runForward() }
        case .backward: return try recordingFailure { try runBackward() }
        case .zeroGrad: return try zeroGradients()
        case .sgdStep: return try sgdStep()
        case .newInput: return try drawNewInput()
        case .beginInput: return try beginInput()
        case .toggleValueGrad:
            // A module's pane switches between its captured output and the output's gradient.
            guard selectedEntry != nil || selectedOutputEntry != nil else {
                throw ExplorerError("g: select a parameter or buffer, or a module after f, to switch between values and gradient")
            }
            detailView.toggleShowing()
            setStatus(detailView.showing == .value ? "showing values" : "showing gradients")
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
            detailView.cycleEditScope()
            setStatus("edit scope: \(scopeName(detailView.editScope)) (F fill, S scale, Z zero, I re-initialise)")
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
            prompts.openSearch()
            return .redraw
        case .search(let text): return try search(text, startAfterCursor: false)
        case .searchNext:
            guard let lastSearch = prompts.lastSearch else { throw ExplorerError("no search yet: press / to search names") }
            return try search(lastSearch, startAfterCursor: true)
        case .nextTheme:
            let names = options.themeNames.isEmpty ? [themeName] : options.themeNames
            let index = names.firstIndex(of: themeName).map { ($0 + 1) % names.count } ?? 0
            themeName = names[index]
            setStatus("theme: \(themeName)")
            return [.redraw, .changedTheme]
        case .toggleHelp:
            prompts.toggleHelp()
            helpScrolling.reset()
            return .redraw
        case .scrollHelp(let lines):
            helpScrolling.scroll(by: lines)
            return .redraw

        case .typeCharacter(let c): return typeCharacter(c)
        case .backspace: return deleteCharacter()
        case .submit: return try submit()
        case .cancel:
            prompts.cancel()
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
        case .selected: return scopeName(detailView.editScope)
        }
    }
}
