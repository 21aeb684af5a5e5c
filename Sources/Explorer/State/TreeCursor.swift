/// The module tree as the tree pane shows it: the nodes and which are expanded, the visible rows, the cursor row,
/// the scroll offset and the viewport's height, and a lower-cased path index for search. It knows nothing of
/// tensors' values, focus or the status line: its mutating methods say whether anything changed, and the state
/// decides what that means for the screen.
struct TreeCursor {
    /// Every node, the root first; only `isExpanded` changes after opening.
    private(set) var nodes: [TreeNode]
    /// Node indices of the visible rows, in display order.
    private(set) var visible: [Int] = []
    /// The selected visible row.
    private(set) var cursorRow = 0
    /// The first visible row shown.
    private(set) var scrollRow = 0
    /// Rows that fit in the tree pane, as the renderer last reported.
    private(set) var viewportRows = 20
    /// Node indices in display order with everything expanded; the tree's shape never changes after opening.
    let preOrder: [Int]
    /// Lower-cased paths by node, made on the first search.
    private var searchablePaths: [String]?

    /// The tree of `nodes` (the root first, never empty), opened as far as `settings` allow: the whole tree when
    /// it is small, else the root's small groups, else only the root.
    init(nodes: [TreeNode], settings: ExplorerSettings) {
        self.nodes = nodes
        preOrder = TreeBuilder.preOrder(nodes)
        self.nodes[0].isExpanded = true
        if nodes.count <= settings.expandWholeTreeUpTo {
            for index in nodes.indices where !nodes[index].children.isEmpty { self.nodes[index].isExpanded = true }
        } else {
            for child in nodes[0].children {
                self.nodes[child].isExpanded = nodes[child].children.count <= settings.expandRootChildrenUpTo
                    && nodes.count <= settings.expandRootChildrenInTreesUpTo
            }
        }
        rebuildVisible()
    }

    /// The node of the selected row.
    var selectedNode: Int? { visible.indices.contains(cursorRow) ? visible[cursorRow] : nil }

    /// Sets the viewport's height (at least 1) and keeps the cursor on screen.
    mutating func setViewport(rows: Int) {
        viewportRows = max(1, rows)
        clampScroll()
    }

    /// Puts the cursor on visible row `row` (clamped); false when it did not move.
    mutating func moveCursor(to row: Int) -> Bool {
        guard !visible.isEmpty else { return false }
        let target = min(max(row, 0), visible.count - 1)
        guard target != cursorRow else { return false }
        cursorRow = target
        clampScroll()
        return true
    }

    /// Moves the cursor by `delta` rows; false when it did not move.
    mutating func moveCursor(by delta: Int) -> Bool { moveCursor(to: cursorRow + delta) }

    /// Scrolls the view by `delta` rows, the cursor staying on screen; false when the view did not move.
    mutating func scroll(by delta: Int) -> Bool {
        let maxScroll = max(visible.count - viewportRows, 0)
        let newScroll = min(max(scrollRow + delta, 0), maxScroll)
        guard newScroll != scrollRow else { return false }
        scrollRow = newScroll
        cursorRow = min(max(cursorRow, scrollRow), scrollRow + viewportRows - 1)
        cursorRow = min(cursorRow, max(visible.count - 1, 0))
        return true
    }

    /// Collapses the selected node, or (when it is collapsed or a leaf) moves to its parent; false when nothing
    /// changed.
    mutating func collapseOrGoToParent() -> Bool {
        guard let node = selectedNode else { return false }
        if nodes[node].isExpanded && !nodes[node].children.isEmpty {
            nodes[node].isExpanded = false
            rebuildVisible(keeping: node)
            return true
        }
        guard let parent = nodes[node].parent, let row = visible.firstIndex(of: parent) else { return false }
        cursorRow = row
        clampScroll()
        return true
    }

    /// Expands the selected node; false when it has no children or is already expanded.
    mutating func expandSelected() -> Bool {
        guard let node = selectedNode, !nodes[node].children.isEmpty, !nodes[node].isExpanded else { return false }
        nodes[node].isExpanded = true
        rebuildVisible(keeping: node)
        return true
    }

    /// Expands (or collapses) the selected group and all its descendants in one pass (a tensor's group when a
    /// tensor is selected), so a tree of 100k rows opens with one rebuild. The root stays open. Returns the group
    /// and how many groups changed; nil when nothing is selected.
    mutating func setExpansionBelowSelection(_ expanded: Bool) -> (group: Int, changed: Int)? {
        guard let node = selectedNode else { return nil }
        let target = nodes[node].entry != nil ? (nodes[node].parent ?? node) : node
        var changed = 0
        var stack = [target]
        while let index = stack.popLast() {
            guard !nodes[index].children.isEmpty else { continue }
            if nodes[index].isExpanded != expanded { changed += 1 }
            nodes[index].isExpanded = expanded
            stack.append(contentsOf: nodes[index].children)
        }
        // A collapsed root would hide the whole model behind one row.
        if target == 0 { nodes[0].isExpanded = true }
        rebuildVisible(keeping: target)
        return (target, changed)
    }

    /// Selects visible row `row` (no scrolling beyond keeping it on screen); false when there is no such row.
    mutating func select(row: Int) -> Bool {
        guard visible.indices.contains(row) else { return false }
        cursorRow = row
        clampScroll()
        return true
    }

    /// Expands every ancestor of `node` and puts the cursor on it.
    mutating func reveal(_ node: Int) {
        var ancestor = nodes[node].parent
        while let a = ancestor {
            nodes[a].isExpanded = true
            ancestor = nodes[a].parent
        }
        rebuildVisible(keeping: node)
    }

    /// The node of dotted `path` (the first use of a shared name; "" is the root); nil when no node has it.
    func node(path: String) -> Int? {
        preOrder.first { nodes[$0].path == path && ($0 != 0 || path.isEmpty) }
    }

    /// The next node in display order whose path contains `text` (case-insensitive), at or after the selection
    /// (after it with `afterSelection`), wrapping around; with its number among all matches. Nil when none match.
    mutating func nextMatch(of text: String, afterSelection: Bool) -> (node: Int, number: Int, count: Int)? {
        let needle = text.lowercased()
        if searchablePaths == nil { searchablePaths = nodes.map { $0.path.lowercased() } }
        let paths = searchablePaths ?? []
        let matches = preOrder.filter { paths[$0].contains(needle) }
        guard !matches.isEmpty else { return nil }
        var position: [Int: Int] = [:]
        for (i, node) in preOrder.enumerated() { position[node] = i }
        let current = selectedNode.flatMap { position[$0] } ?? -1
        let next = matches.first { afterSelection ? position[$0]! > current : position[$0]! >= current } ?? matches[0]
        return (next, (matches.firstIndex(of: next) ?? 0) + 1, matches.count)
    }

    /// Recomputes the visible rows after expanding or collapsing, keeping `node` (or the selected node) selected
    /// when it stays visible.
    private mutating func rebuildVisible(keeping node: Int? = nil) {
        let keep = node ?? selectedNode
        var rows: [Int] = []
        var stack = [0]
        while let index = stack.popLast() {
            rows.append(index)
            if nodes[index].isExpanded { stack.append(contentsOf: nodes[index].children.reversed()) }
        }
        visible = rows
        if let keep, let row = rows.firstIndex(of: keep) { cursorRow = row }
        cursorRow = min(max(cursorRow, 0), max(rows.count - 1, 0))
        clampScroll()
    }

    /// Keeps the cursor on screen.
    mutating func clampScroll() {
        if cursorRow < scrollRow { scrollRow = cursorRow }
        if cursorRow >= scrollRow + viewportRows { scrollRow = cursorRow - viewportRows + 1 }
        scrollRow = min(max(scrollRow, 0), max(visible.count - viewportRows, 0))
    }
}
