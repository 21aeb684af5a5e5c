extension ExplorerState {
    // MARK: Tree

    func moveTreeCursor(by delta: Int) -> Reaction { treeCursor.moveCursor(by: delta) ? .redraw : [] }

    func moveTreeCursor(to row: Int) -> Reaction { treeCursor.moveCursor(to: row) ? .redraw : [] }

    func scrollTree(by delta: Int) -> Reaction { treeCursor.scroll(by: delta) ? .redraw : [] }

    func collapse() -> Reaction { treeCursor.collapseOrGoToParent() ? .redraw : [] }

    func expand() -> Reaction { treeCursor.expandSelected() ? .redraw : [] }

    /// `*` and `c`: the selected group and everything below it, in one pass (see `TreeCursor`).
    func setExpansionBelowCursor(_ expanded: Bool) -> Reaction {
        guard let (group, changed) = treeCursor.setExpansionBelowSelection(expanded) else { return [] }
        let name = group == 0 ? "the whole tree" : treeCursor.nodes[group].path
        setStatus("\(expanded ? "expanded" : "collapsed") \(changed) group\(changed == 1 ? "" : "s") in \(name) · \(treeCursor.visible.count) rows")
        return .redraw
    }

    /// Enter: a module opens or closes, a tensor takes the focus to its detail.
    func toggle() -> Reaction {
        guard let node = treeCursor.selectedNode else { return [] }
        if treeCursor.nodes[node].entry != nil {
            focus = .detail
            return .redraw
        }
        return treeCursor.nodes[node].isExpanded ? collapse() : expand()
    }

    /// A click on tree row `row`: selects it; a click on the selected module toggles it.
    func selectTreeRow(_ row: Int) -> Reaction {
        guard treeCursor.visible.indices.contains(row) else { return [] }
        focus = .tree
        if row == treeCursor.cursorRow, treeCursor.nodes[treeCursor.visible[row]].entry == nil { return toggle() }
        _ = treeCursor.select(row: row)
        return .redraw
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
        HeatmapDownsampler.blockSize(rows: rows, cols: cols, capacityRows: detailView.heatmapCapacity.row,
                                     capacityCols: detailView.heatmapCapacity.col, zoom: zoom)
    }

    /// Moves the window so the cursor is inside it, and clamps it to the matrix.
    func keepCursorVisible(_ view: inout TensorViewState, rows: Int, cols: Int) {
        let zoom = selectedEntry.map { windowZoom($0, view) } ?? view.zoom
        let b = block(rows: rows, cols: cols, zoom: zoom)
        let windowRows = detailView.heatmapCapacity.row * b.rows, windowCols = detailView.heatmapCapacity.col * b.cols
        if view.cursor.row < view.pan.row { view.pan.row = view.cursor.row }
        if view.cursor.row >= view.pan.row + windowRows { view.pan.row = view.cursor.row - windowRows + 1 }
        if view.cursor.col < view.pan.col { view.pan.col = view.cursor.col }
        if view.cursor.col >= view.pan.col + windowCols { view.pan.col = view.cursor.col - windowCols + 1 }
        view.pan = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                 capacityRows: detailView.heatmapCapacity.row, capacityCols: detailView.heatmapCapacity.col)
    }

    func moveHeatmapCursor(dRow: Int, dCol: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = detailView.view(of: entry.id)
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        view.cursor.row = min(max(view.cursor.row + dRow * b.rows, 0), rows - 1)
        view.cursor.col = min(max(view.cursor.col + dCol * b.cols, 0), cols - 1)
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) {
            view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col, dRow: dRow, dCol: dCol)
        }
        keepCursorVisible(&view, rows: rows, cols: cols)
        detailView.views[entry.id] = view
        return .redraw
    }

    func heatmapHomeEnd(end: Bool) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = detailView.view(of: entry.id)
        view.cursor.col = end ? cols - 1 : 0
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) { view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col) }
        keepCursorVisible(&view, rows: rows, cols: cols)
        detailView.views[entry.id] = view
        return .redraw
    }

    func panHeatmap(dRow: Int, dCol: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = detailView.view(of: entry.id)
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        view.pan.row += dRow * b.rows
        view.pan.col += dCol * b.cols
        view.pan = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                 capacityRows: detailView.heatmapCapacity.row, capacityCols: detailView.heatmapCapacity.col)
        // The cursor follows the window so editing acts on something visible.
        let windowRows = detailView.heatmapCapacity.row * b.rows, windowCols = detailView.heatmapCapacity.col * b.cols
        view.cursor.row = min(max(view.cursor.row, view.pan.row), min(rows, view.pan.row + windowRows) - 1)
        view.cursor.col = min(max(view.cursor.col, view.pan.col), min(cols, view.pan.col + windowCols) - 1)
        clampToElements(&view.cursor, entry: entry, cols: cols)
        if let grid = kernelGrid(entry, view: view) { view.cursor = grid.nearestElement(row: view.cursor.row, col: view.cursor.col) }
        detailView.views[entry.id] = view
        return .redraw
    }

    func selectHeatmapCell(row: Int, col: Int) -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else { return [] }
        var view = detailView.view(of: entry.id)
        let b = block(rows: rows, cols: cols, zoom: windowZoom(entry, view))
        let origin = HeatmapDownsampler.clampedPan(view.pan, rows: rows, cols: cols, block: b,
                                                   capacityRows: detailView.heatmapCapacity.row, capacityCols: detailView.heatmapCapacity.col)
        let r = origin.row + row * b.rows, c = origin.col + col * b.cols
        guard row >= 0, col >= 0, r < rows, c < cols else { return [] }
        guard entry.shape.count != 1 || r * cols + c < entry.shape[0] else { return [] }
        if let grid = kernelGrid(entry, view: view), grid.tensorIndex(row: r, col: c) == nil { return [] }
        view.cursor = GridPoint(row: r, col: c)
        detailView.views[entry.id] = view
        focus = .detail
        return .redraw
    }

    func zoom(by delta: Int) throws -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else {
            throw ExplorerError("zoom: select a tensor with values first")
        }
        if kernelGrid(entry) != nil { return zoomKernelGrid(entry, by: delta) }
        var view = detailView.view(of: entry.id)
        let maxZoom = HeatmapDownsampler.maxZoom(rows: rows, cols: cols, capacityRows: detailView.heatmapCapacity.row,
                                                 capacityCols: detailView.heatmapCapacity.col)
        let newZoom = min(max(view.zoom + delta, 0), maxZoom)
        guard newZoom != view.zoom else {
            setStatus(delta > 0 ? "zoom: already at single elements (1:1)" : "zoom: the whole tensor is shown")
            return .redraw
        }
        view.zoom = newZoom
        // Centre the window on the cursor.
        let b = block(rows: rows, cols: cols, zoom: newZoom)
        view.pan = GridPoint(row: view.cursor.row - detailView.heatmapCapacity.row * b.rows / 2,
                             col: view.cursor.col - detailView.heatmapCapacity.col * b.cols / 2)
        keepCursorVisible(&view, rows: rows, cols: cols)
        detailView.views[entry.id] = view
        setStatus(b.rows == 1 && b.cols == 1 ? "zoom: 1:1" : "zoom: \(b.rows)×\(b.cols) elements per cell")
        return .redraw
    }

    func changeSlice(by delta: Int) throws -> Reaction {
        guard let (entry, _, _, slices) = selectedMatrix(), entry.shape.count > 2 else {
            throw ExplorerError("< >: only tensors with 3 or more dimensions have slices to choose")
        }
        if kernelGrid(entry) != nil { return changeKernelChannel(entry, by: delta) }
        var view = detailView.view(of: entry.id)
        view.slice = ((view.slice + delta) % slices + slices) % slices
        detailView.views[entry.id] = view
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
        guard let node = treeCursor.node(path: path) else { return false }
        treeCursor.reveal(node)
        return true
    }

    /// The dotted path of the selected row ("" for the root).
    public var selectedPath: String? { treeCursor.selectedNode.map { treeCursor.nodes[$0].path } }
}
