import NNCore
import TerminalUI

extension ExplorerState {
    /// The kernel grid `entry` is drawn as (a 4-d conv kernel with known values), zoomed to the view's output
    /// channel when the view is zoomed in; nil for any other tensor.
    func kernelGrid(_ entry: TensorEntry, view: TensorViewState? = nil) -> KernelGrid? {
        guard !entry.isUninitialised else { return nil }
        let view = view ?? detailView.view(of: entry.id)
        return KernelGrid(shape: entry.shape, zoomedChannel: view.zoom > 0 ? view.slice : nil)
    }

    /// The whole tensor as one matrix of its last dimension (for statistics, which count every element once).
    func wholeSource(for entry: TensorEntry, showing: ValueOrGradient) -> MatrixSource? {
        let cols = max(entry.shape.last ?? 1, 1)
        let rows = entry.elementCount / cols
        if showing == .gradient {
            guard let grad = entry.tensor?.grad else { return nil }
            return MatrixSource(rows: rows, cols: cols, elements: .tensor(grad.isContiguous ? grad : grad.contiguous(), firstRow: 0))
        }
        if entry.isQuantized, entry.materialised == nil { _ = try? entry.editableTensor() }
        if let tensor = entry.tensor {
            return MatrixSource(rows: rows, cols: cols, elements: .tensor(tensor.isContiguous ? tensor : tensor.contiguous(), firstRow: 0))
        }
        guard let record = entry.record else { return nil }
        return MatrixSource(rows: rows, cols: cols, elements: .record(record, firstRow: 0))
    }

    /// The kernel grid's values (gaps hold `Heatmap.gap`) as a matrix source.
    func kernelGridSource(_ grid: KernelGrid, entry: TensorEntry, showing: ValueOrGradient) -> MatrixSource? {
        guard let whole = wholeSource(for: entry, showing: showing) else { return nil }
        return MatrixSource(rows: grid.rows, cols: grid.cols, elements: .kernels(grid, whole: whole))
    }

    /// The zoom the heatmap window is computed at: a kernel grid is always drawn 1:1 (its own zoom chooses the
    /// output channel instead), other tensors at their zoom.
    func windowZoom(_ entry: TensorEntry, _ view: TensorViewState) -> Int {
        kernelGrid(entry, view: view) == nil ? view.zoom : 62
    }

    /// `+`/`-` on a kernel grid: one output channel's kernels large (the cursor's), or back to the whole grid.
    func zoomKernelGrid(_ entry: TensorEntry, by delta: Int) -> Reaction {
        var view = detailView.view(of: entry.id)
        guard let grid = kernelGrid(entry, view: view), let index = grid.tensorIndex(row: view.cursor.row, col: view.cursor.col) else { return [] }
        if delta > 0, view.zoom == 0 {
            view.zoom = 1
            view.slice = index[0]
            setStatus("zoom: output channel \(index[0])'s kernels (- for all)")
        } else if delta < 0, view.zoom > 0 {
            view.zoom = 0
            setStatus("zoom: all kernels")
        } else {
            setStatus(delta > 0 ? "zoom: already one output channel" : "zoom: all kernels are shown")
            return .redraw
        }
        guard let newGrid = kernelGrid(entry, view: view), let cell = newGrid.cell(of: index) else { return [] }
        view.cursor = cell
        view.pan = GridPoint(row: 0, col: 0)
        detailView.views[entry.id] = view
        keepCursorVisible(&view, rows: newGrid.rows, cols: newGrid.cols)
        detailView.views[entry.id] = view
        return .redraw
    }

    /// `<`/`>` on a kernel grid: the cursor goes to the previous/next output channel (same input channel and
    /// element); zoomed, the zoomed channel changes.
    func changeKernelChannel(_ entry: TensorEntry, by delta: Int) -> Reaction {
        var view = detailView.view(of: entry.id)
        guard let grid = kernelGrid(entry, view: view), var index = grid.tensorIndex(row: view.cursor.row, col: view.cursor.col) else { return [] }
        let count = grid.outChannels
        index[0] = ((index[0] + delta) % count + count) % count
        if view.zoom > 0 { view.slice = index[0] }
        guard let newGrid = kernelGrid(entry, view: view), let cell = newGrid.cell(of: index) else { return [] }
        view.cursor = cell
        detailView.views[entry.id] = view
        keepCursorVisible(&view, rows: newGrid.rows, cols: newGrid.cols)
        detailView.views[entry.id] = view
        setStatus("output channel \(index[0]) of \(count)")
        return .redraw
    }
}
