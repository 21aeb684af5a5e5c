extension ExplorerState {
    // MARK: Tree

    func moveTreeCursor(by delta: Int) -> Reaction {
        moveTreeCursor(to: cursorRow + delta)
    }

    func moveTreeCursor(to row: Int) -> Reaction {
        guard !visible.isEmpty else { return [] }
        let target = min(max(row, 0), visible.count - 1)
        guard target != cursorRow else { return [] }
        cursorRow = target
        clampScroll()
        return .redraw
    }

    func scrollTree(by delta: Int) -> Reaction {
        let maxScroll = max(visible.count - viewportTreeRows, 0)
        let newScroll = min(max(scrollRow + delta, 0), maxScroll)
        guard newScroll != scrollRow else { return [] }
        scrollRow = newScroll
        // Keep the cursor on screen as the view scrolls under it.
        cursorRow = min(max(cursorRow, scrollRow), scrollRow + viewportTreeRows - 1)
        cursorRow = min(cursorRow, max(visible.count - 1, 0))
        return .redraw
    }

    func collapse() -> Reaction {
        guard let node = selectedNode else { return [] }
        if nodes[node].isExpanded && !nodes[node].children.isEmpty {
            nodes[node].isExpanded = false
            rebuildVisible(keeping: node)
            return .redraw
        }
        guard let parent = nodes[node].parent, let row = visible.firstIndex(of: parent) else { return [] }
        cursorRow = row
        clampScroll()
        return .redraw
    }

    func expand() -> Reaction {
        guard let node = selectedNode, !nodes[node].children.isEmpty, !nodes[node].isExpanded else { return [] }
        nodes[node].isExpanded = true
        rebuildVisible(keeping: node)
        return .redraw
    }

    /// Expands (or collapses) the selected node and all its descendants in one pass, so even a tree of 100k
    /// rows opens fully with one key instead of one expansion (and one rebuild of the visible rows) per node.
    func setExpansionBelowCursor(_ expanded: Bool) -> Reaction {
        guard let node = selectedNode else { return [] }
        let target = nodes[node].entry != nil ? (nodes[node].parent ?? node) : node
        var changed = 0
        var stack = [target]
        while let index = stack.popLast() {
            guard !nodes[index].children.isEmpty else { continue }
            if nodes[index].isExpanded != expanded { changed += 1 }
            nodes[index].isExpanded = expanded
            stack.append(contentsOf: nodes[index].children)
        }
        // The root stays open: a collapsed root would hide the whole model behind one row.
        if target == 0 { nodes[0].isExpanded = true }
        rebuildVisible(keeping: target)
        let name = target == 0 ? "the whole tree" : nodes[target].path
        setStatus("\(expanded ? "expanded" : "collapsed") \(changed) group\(changed == 1 ? "" : "s") in \(name) · \(visible.count) rows")
        return .redraw
    }

    func toggle() -> Reaction {
        guard let node = selectedNode else { return [] }
        if nodes[node].entry != nil {
            focus = .detail
            return .redraw
        }
        return nodes[node].isExpanded ? collapse() : expand()
    }

    func selectTreeRow(_ row: Int) -> Reaction {
        guard visible.indices.contains(row) else { return [] }
        focus = .tree
        if row == cursorRow, nodes[visible[row]].entry == nil { return toggle() }
        cursorRow = row
        clampScroll()
        return .redraw
    }

    /// Expands every ancestor of `node` and puts the cursor on it.
    func reveal(_ node: Int) {
        var ancestor = nodes[node].parent
        while let a = ancestor {
            nodes[a].isExpanded = true
            ancestor = nodes[a].parent
        }
        rebuildVisible(keeping: node)
    }

    // MARK: Heatmap

    /// The selected tensor with known values and its matrix geometry.
    func selectedMatrix() -> (entry: TensorEntry, rows: Int, cols: Int, slices: Int)? {
        guard let entry = selectedEntry ?? selectedAttentionEntry ?? selectedOutputEntry, !entry.isUninitialised else { return nil }
        if let grid = kernelGrid(entry) { return (entry, grid.rows, grid.cols, grid.outChannels) }
        let (rows, cols, slices) = Self.matrixGeometry(entry.shape)
        guard rows > 0, cols > 0 else { return nil }
        return (entry, rows, cols, slices)
    }

    /// Keeps the cursor of a wrapped 1-d tensor on a real element (its last row may be short).
    func clampToElements(_ cursor: inout GridPoint, entry: TensorEntry, cols: Int) {
        guard entry.shape.count == 1, cols > 0 else { return }
        let last = entry.shape[0] - 1
        if cursor.row * cols + cursor.col > last { cursor = GridPoint(row: last / cols, col: last % cols) }
    }

    func block(rows: Int, cols: Int, zoom: Int) -> (rows: Int, cols: Int) {
        HeatmapDownsampler.blockSize(rows: rows, cols: cols, capacityRows: heatmapCapacity.row,
                                     capacityCols: heatmapCapacity.col, zoom: zoom)
    }

    /// Moves the window so the cursor is inside it, and clamps it to the matrix.
    func keepCursorVisible(_ view: inout TensorViewState, rows: Int, cols: Int) {
        let zoom = selectedEntry.map { windowZoom($0, view) } ?? view.zoom
        let b = block(rows: rows, cols: cols, zoom: zoom)
        let windowRows = heatmapCapacity.row * b.rows, windowCols = heatmapCapacity.col * b.cols
        if view.cursor.row < view.pan.row { view.pan.row = view.cursor.row }
        if view.cursor.row >= view.pan.row + windowRows { view.pan.row = view.cursor.row - windowRows + 1 }
        if view.cursor.col < view.pan.col { view.pan.col = view.cursor.col }
        if view.cursor.col >= view.pan.col + windowCols { view.pan.col = view.cursor.col - windowCols + 1 }
        view.pan = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                 capacityRows: heatmapCapacity.row, capacityCols: heatmapCapacity.col)
    }

    func moveHeatmapCursor(dRow: Int, dCol: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = views[entry.id] ?? TensorViewState()
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        view.cursor.row = min(max(view.cursor.row + dRow * b.rows, 0), rows - 1)
        view.cursor.col = min(max(view.cursor.col + dCol * b.cols, 0), cols - 1)
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) {
            view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col, dRow: dRow, dCol: dCol)
        }
        keepCursorVisible(&view, rows: rows, cols: cols)
        views[entry.id] = view
        return .redraw
    }

    func heatmapHomeEnd(end: Bool) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = views[entry.id] ?? TensorViewState()
        view.cursor.col = end ? cols - 1 : 0
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) { view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col) }
        keepCursorVisible(&view, rows: rows, cols: cols)
        views[entry.id] = view
        return .redraw
    }

    func panHeatmap(dRow: Int, dCol: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = views[entry.id] ?? TensorViewState()
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        view.pan.row += dRow * b.rows
        view.pan.col += dCol * b.cols
        view.pan = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                 capacityRows: heatmapCapacity.row, capacityCols: heatmapCapacity.col)
        // The cursor follows the window so editing acts on something visible.
        let windowRows = heatmapCapacity.row * b.rows, windowCols = heatmapCapacity.col * b.cols
        view.cursor.row = min(max(view.cursor.row, view.pan.row), min(rows, view.pan.row + windowRows) - 1)
        view.cursor.col = min(max(view.cursor.col, view.pan.col), min(cols, view.pan.col + windowCols) - 1)
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) { view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col) }
        views[entry.id] = view
        return .redraw
    }

    func selectHeatmapCell(row: Int, col: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = views[entry.id] ?? TensorViewState()
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        let origin = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                   capacityRows: heatmapCapacity.row, capacityCols: heatmapCapacity.col)
        let r = origin.row + row * b.rows, c = origin.col + col * b.cols
        guard row >= 0, col >= 0, r < rows, c < cols else { return [] }
        guard entry.shape.count != 1 || r * cols + c < entry.shape[0] else { return [] }
        if let grid = kernelGrid(entry, view: view), grid.tensorIndex(row: r, col: c) == nil { return [] }
        view.cursor = GridPoint(row: r, col: c)
        views[entry.id] = view
        focus = .detail
        return .redraw
    }

    func zoom(by delta: Int) throws -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else {
            throw ExplorerError("zoom: select a tensor with values first")
        }
        if kernelGrid(entry) != nil { return zoomKernelGrid(entry, by: delta) }
        var view = views[entry.id] ?? TensorViewState()
        let maxZoom = HeatmapDownsampler.maxZoom(rows: rows, cols: cols, capacityRows: heatmapCapacity.row,
                                                 capacityCols: heatmapCapacity.col)
        let newZoom = min(max(view.zoom + delta, 0), maxZoom)
        guard newZoom != view.zoom else {
            setStatus(delta > 0 ? "zoom: already at single elements (1:1)" : "zoom: the whole tensor is shown")
            return .redraw
        }
        view.zoom = newZoom
        // Centre the window on the cursor.
        let b = block(rows: rows, cols: cols, zoom: newZoom)
        view.pan = GridPoint(row: view.cursor.row - heatmapCapacity.row * b.rows / 2,
                             col: view.cursor.col - heatmapCapacity.col * b.cols / 2)
        keepCursorVisible(&view, rows: rows, cols: cols)
        views[entry.id] = view
        setStatus(b.rows == 1 && b.cols == 1 ? "zoom: 1:1" : "zoom: \(b.rows)×\(b.cols) elements per cell")
        return .redraw
    }

    func changeSlice(by delta: Int) throws -> Reaction {
        guard let (entry, _, _, slices) = selectedMatrix(), entry.shape.count > 2 else {
            throw ExplorerError("< >: only tensors with 3 or more dimensions have slices to choose")
        }
        if kernelGrid(entry) != nil { return changeKernelChannel(entry, by: delta) }
        var view = views[entry.id] ?? TensorViewState()
        view.slice = ((view.slice + delta) % slices + slices) % slices
        views[entry.id] = view
        let indices = Self.leadingIndices(of: view.slice, shape: entry.shape)
        setStatus("slice [" + indices.map(String.init).joined(separator: ", ") + ", :, :]")
        return .redraw
    }
}

extension ExplorerState {
    /// Selects the row of dotted `path` (the first use of a shared name), expanding its parents; false if no row
    /// has that path. For scripted use (tests, `--select`).
    @discardableResult
    public func select(path: String) -> Bool {
        guard let node = preOrderNodes.first(where: { nodes[$0].path == path && ($0 != 0 || path.isEmpty) }) else {
            return false
        }
        reveal(node)
        return true
    }

    /// The dotted path of the selected row ("" for the root).
    public var selectedPath: String? { selectedNode.map { nodes[$0].path } }
}
