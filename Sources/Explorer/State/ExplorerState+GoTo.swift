import Foundation
import TerminalUI
import ModelFiles

extension ExplorerState {
    /// Moves the heatmap cursor to the element `text` names (`1234, 7`; a 1-d tensor's flat index; a ≥3-d
    /// tensor's leading indices choose the slice), so a big tensor's element is one prompt away instead of many
    /// downsampled jumps. Missing trailing indices are 0.
    func goTo(_ text: String) throws -> Reaction {
        guard let (entry, rows, cols, _) = selectedMatrix() else {
            throw ExplorerError("go to: select a tensor with elements first")
        }
        let shape = entry.shape
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [Int] = []
        for part in parts where !part.isEmpty {
            guard let value = Int(part) else { throw ExplorerError("go to: '\(part)' is not an index (type e.g. 1234, 7)") }
            index.append(value)
        }
        guard !index.isEmpty else { throw ExplorerError("go to: type an index, e.g. 1234, 7") }
        let rank = max(shape.count, 1)
        guard index.count <= rank else {
            throw ExplorerError("go to: \(index.count) indices for a tensor of \(shape.count) dimension\(shape.count == 1 ? "" : "s") \(ShapeText.of(shape))")
        }
        index += Array(repeating: 0, count: rank - index.count)
        for (axis, (i, size)) in zip(index, shape.isEmpty ? [1] : shape).enumerated() where i < 0 || i >= size {
            throw ExplorerError("go to: index \(i) is outside dimension \(axis) of size \(size) (nothing moved)")
        }
        var view = detailView.view(of: entry.id)
        if kernelGrid(entry, view: view) != nil {
            if view.zoom > 0 { view.slice = index[0] }
            view.cursor = kernelGrid(entry, view: view)?.cell(of: index) ?? view.cursor
        } else {
        switch shape.count {
        case 0: view.cursor = GridPoint(row: 0, col: 0)
        case 1: view.cursor = GridPoint(row: index[0] / cols, col: index[0] % cols)
        default:
            var slice = 0
            for (i, size) in zip(index.dropLast(2), shape.dropLast(2)) { slice = slice * size + i }
            view.slice = slice
            view.cursor = GridPoint(row: index[index.count - 2], col: index[index.count - 1])
        }
        }
        keepCursorVisible(&view, rows: rows, cols: cols)
        detailView.views[entry.id] = view
        focus = .detail
        setStatus("cursor at [" + index.map(String.init).joined(separator: ", ") + "]")
        return .redraw
    }

    /// Sets the learning rate to the typed value (finite and positive).
    func setLearningRate(_ text: String) throws -> Reaction {
        _ = try requireRunnable("learning rate")
        guard let value = Float(text), run.setLearningRate(value) else {
            throw ExplorerError("learning rate: '\(text)' is not a positive number (nothing changed)")
        }
        setStatus("learning rate \(NumberFormat.exact(value))")
        return .redraw
    }
}
