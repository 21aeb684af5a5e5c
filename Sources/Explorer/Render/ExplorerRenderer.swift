import TerminalUI

/// Draws the whole explorer screen from an `ExplorerState`: header, tree pane, detail pane, status or prompt line,
/// and the help overlay on top; below `ExplorerLayout.minimumSize` a "terminal too small" notice instead.
///
/// The renderer reads the state's view-models and reports back what fits (`setViewport`), so paging and heatmap
/// cursor movement match what is on screen. It never changes anything else.
///
/// ```swift
/// var buffer = Buffer(width: 120, height: 40)
/// let frame = ExplorerRenderer.render(state: state, into: &buffer, theme: theme, depth: .trueColor, ascii: false)
/// backend.draw(buffer)          // later: frame.command(for: mouseEvent)
/// ```
public enum ExplorerRenderer {
    /// Draws a frame of `state` into `buffer` (its size is the screen size).
    /// - Parameters:
    ///   - theme: the colours; `depth` is capped by the theme's `maximumDepth`.
    ///   - depth: what the terminal shows (`.none` draws heatmaps as characters).
    ///   - ascii: ASCII only (every non-ASCII character left in the frame is replaced).
    /// - Returns: where the tree rows and heatmap cells went, for mouse clicks.
    @discardableResult
    public static func render(state: ExplorerState, into buffer: inout Buffer, theme: Theme, depth: ColorDepth,
                              ascii: Bool) -> RenderedFrame {
        let depth = theme.effectiveDepth(terminal: depth)
        let layout = ExplorerLayout(width: buffer.width, height: buffer.height)
        var frame = RenderedFrame(treeRows: Rect(x: 0, y: 0, width: 0, height: 0), treeScrollOffset: 0,
                                  treeRowCount: 0, heatmapRect: nil, heatmapGrid: nil, depth: depth, ascii: ascii)
        buffer.fill(buffer.area, with: .blank(theme.text))
        if layout.isTooSmall {
            TooSmallNotice(width: buffer.width, height: buffer.height, theme: theme).render(in: buffer.area, buffer: &buffer)
            if ascii { AsciiFolding.fold(&buffer) }
            return frame
        }
        HeaderRenderer(header: state.header, theme: theme, ascii: ascii).render(in: layout.header, buffer: &buffer)

        let tree = state.tree
        TreePaneRenderer(tree: tree, title: "Model", isFocused: state.focus == .tree, theme: theme, ascii: ascii)
            .render(in: layout.treePane, buffer: &buffer)
        frame.treeRows = layout.treeInner
        frame.treeRowCount = tree.rowCount
        frame.treeScrollOffset = TreeView.scrollOffset(cursor: tree.cursor, previousOffset: tree.scrollOffset,
                                                       visibleRows: layout.treeInner.height, rowCount: tree.rowCount)

        let heatmap = renderDetail(state.detail, layout: layout, isFocused: state.focus == .detail, theme: theme,
                                   depth: depth, ascii: ascii, buffer: &buffer)
        frame.heatmapRect = heatmap?.rect
        frame.heatmapGrid = heatmap?.grid
        frame.heatmapUpscale = heatmap?.upscale ?? .identity
        reportViewport(to: state, treeRows: layout.treeInner.height, heatmap: heatmap, layout: layout, depth: depth,
                       ascii: ascii)

        if let training = state.trainingView {
            TrainingPanel(training: training, theme: theme, ascii: ascii)
                .render(in: TrainingPanel.rect(in: layout), buffer: &buffer)
        }
        renderBottomLine(state: state, in: layout.status, theme: theme, buffer: &buffer)
        if state.mode == .help {
            let shown = renderHelp(state.keymap.helpBindings, in: layout.screen, scroll: state.helpScroll, theme: theme,
                                   ascii: ascii, buffer: &buffer)
            state.setHelpViewport(scrollLimit: shown.scrollLimit, pageLines: shown.pageLines)
        }
        if ascii { AsciiFolding.fold(&buffer) }
        return frame
    }

    /// The detail pane with its border (focused or not) and the content for the selected row.
    static func renderDetail(_ detail: DetailViewModel, layout: ExplorerLayout, isFocused: Bool, theme: Theme,
                             depth: ColorDepth, ascii: Bool,
                             buffer: inout Buffer) -> DrawnHeatmap? {
        let title: String
        switch detail {
        case .tensor(let tensor): title = tensor.showing == .gradient ? "Gradient" : "Tensor"
        case .module: title = "Module"
        case .graphNode(let node): title = node.opType == nil ? "Graph" : "Node"
        case .none: title = "Detail"
        }
        // Only a tensor's pane has a cursor; a module's (or an empty one) has nothing for the arrows to move.
        let hasCursor: Bool
        if case .tensor(let tensor) = detail, tensor.stats != nil { hasCursor = true } else { hasCursor = false }
        let focusHint = isFocused ? title + (hasCursor ? " (arrows move the cursor)" : " (Tab: back to the tree)") : title
        let inner = Box(title: focusHint, theme: theme, ascii: ascii, isFocused: isFocused)
            .render(in: layout.detailPane, buffer: &buffer)
        let content = inner.inset(dx: 1, dy: 0)
        guard !content.isEmpty else { return nil }
        switch detail {
        case .tensor(let tensor):
            return TensorDetailRenderer(detail: tensor, theme: theme, depth: depth, ascii: ascii)
                .render(in: content, buffer: &buffer)
        case .module(let module):
            return ModuleDetailRenderer(detail: module, theme: theme, depth: depth, ascii: ascii)
                .render(in: content, buffer: &buffer)
        case .graphNode(let node):
            GraphNodeDetailRenderer(detail: node, theme: theme, ascii: ascii).render(in: content, buffer: &buffer)
            return nil
        case .none(let hint):
            buffer.set(x: content.x, y: content.y, string: hint, style: theme.dimText, clip: content.row(0))
            return nil
        }
    }

    /// Tells the state how many tree rows and heatmap values fit, when that changed. Without a heatmap on screen
    /// (a module or nothing selected) it reports what a tensor heatmap would get in this pane.
    static func reportViewport(to state: ExplorerState, treeRows: Int, heatmap: DrawnHeatmap?,
                               layout: ExplorerLayout, depth: ColorDepth, ascii: Bool) {
        let capacity: (rows: Int, cols: Int)
        if let heatmap {
            capacity = heatmap.capacity
        } else {
            let inner = layout.detailInner
            capacity = HeatmapPanel.capacity(width: max(0, inner.width - 2 - TensorDetailRenderer.statsWidth - 2),
                                             height: max(0, inner.height - 5), depth: depth, ascii: ascii)
        }
        if state.treeViewportRows != treeRows || state.heatmapViewport != GridPoint(row: capacity.rows, col: capacity.cols) {
            state.setViewport(treeRows: treeRows, heatmapRows: capacity.rows, heatmapCols: capacity.cols)
        }
    }

    /// The status line, or the prompt / question / search field when one is open.
    static func renderBottomLine(state: ExplorerState, in rect: Rect, theme: Theme, buffer: inout Buffer) {
        switch state.mode {
        case .prompt(let label, let text):
            Prompt(label: label, text: text, cursor: min(state.lineEditor.cursor, text.count), theme: theme).render(in: rect, buffer: &buffer)
        case .search(let text):
            Prompt(label: "search: ", text: text, cursor: min(state.lineEditor.cursor, text.count), theme: theme).render(in: rect, buffer: &buffer)
        case .confirm(let question):
            var style = theme.status.adding(.bold)
            style.fg = theme.error.fg
            buffer.fill(rect, with: .blank(theme.status))
            let text = question.contains("(y") ? question : question + " (y/n)"
            buffer.set(x: rect.x, y: rect.y, string: text, style: style, clip: rect)
        case .normal, .help:
            let hint = state.focus == .tree ? "? help  Tab detail  q quit"
                : state.selectedEntry == nil ? "? help  Tab tree  q quit" : "? help  Tab tree  e edit  q quit"
            StatusLine(text: state.status.text, isError: state.status.isError, rightText: hint, theme: theme)
                .render(in: rect, buffer: &buffer)
        }
    }

    /// The help overlay; when the bindings don't fit in one column, two overlays side by side; when those don't fit
    /// whole either (a small terminal), one full-width column scrolled to line `scroll`, its title saying which
    /// lines show. Returns the largest useful scroll and the lines shown at once (limit 0 when nothing scrolls).
    @discardableResult
    static func renderHelp(_ allBindings: [KeyBinding], in area: Rect, scroll: Int = 0, theme: Theme, ascii: Bool,
                           buffer: inout Buffer) -> (scrollLimit: Int, pageLines: Int) {
        // The legend of the tree's marks is the first thing to give up: one column of keys reads better than two.
        var bindings = allBindings
        let keysOnly = allBindings.count - Keymap.legend.count
        if allBindings.count + 2 > area.height, keysOnly + 2 <= area.height { bindings.removeLast(Keymap.legend.count) }
        let fitsOneColumn = bindings.count + 2 <= area.height
        if fitsOneColumn {
            HelpOverlay(bindings: bindings, theme: theme, ascii: ascii).render(in: area, buffer: &buffer)
            return (0, bindings.count)
        }
        let half = (bindings.count + 1) / 2
        let left = HelpOverlay(bindings: Array(bindings[..<half]), title: "Keys (any key closes)", theme: theme,
                               ascii: ascii)
        let right = HelpOverlay(bindings: Array(bindings[half...]), title: "more keys", theme: theme, ascii: ascii)
        let unlimited = Rect(x: 0, y: 0, width: Int.max / 4, height: Int.max / 4)
        let wholeWidth = left.frame(in: unlimited).width + right.frame(in: unlimited).width
        if half + 2 > area.height || wholeWidth > area.width {
            return renderScrolledHelp(allBindings, in: area, scroll: scroll, theme: theme, ascii: ascii, buffer: &buffer)
        }
        // Side by side and touching, centred together, so no sliver of the frame shows between them.
        let halves = area.splitHorizontally([.fill, .fill])
        let leftWidth = left.frame(in: halves[0]).width, rightWidth = right.frame(in: halves[1]).width
        let x = area.x + max(0, (area.width - leftWidth - rightWidth) / 2)
        left.render(in: Rect(x: x, y: area.y, width: leftWidth, height: area.height), buffer: &buffer)
        right.render(in: Rect(x: x + leftWidth, y: area.y, width: rightWidth, height: area.height), buffer: &buffer)
        return (0, bindings.count)
    }

    /// One column of help over the whole area, from line `scroll`; every binding (the marks' legend too) is
    /// reachable with j/k.
    static func renderScrolledHelp(_ bindings: [KeyBinding], in area: Rect, scroll: Int, theme: Theme, ascii: Bool,
                                   buffer: inout Buffer) -> (scrollLimit: Int, pageLines: Int) {
        let pageLines = max(1, area.height - 2)
        let limit = max(0, bindings.count - pageLines)
        let first = min(max(scroll, 0), limit)
        let last = min(bindings.count, first + pageLines)
        let title = "Keys \(first + 1)-\(last)/\(bindings.count) · j/k more · ? closes"
        let overlay = HelpOverlay(bindings: Array(bindings[first ..< last]), title: title, theme: theme, ascii: ascii)
        overlay.render(in: area, buffer: &buffer)
        return (limit, pageLines)
    }
}
