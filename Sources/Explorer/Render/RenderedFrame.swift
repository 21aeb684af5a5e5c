import TerminalUI

/// Where the last frame put the things a mouse can hit: the tree's rows and the main heatmap's cells.
public struct RenderedFrame {
    /// The tree's rows inside its border (empty when the screen is too small).
    public var treeRows: Rect
    /// The first tree row shown.
    public var treeScrollOffset: Int
    /// Rows in the tree.
    public var treeRowCount: Int
    /// The screen rectangle of the main heatmap, if one was drawn.
    public var heatmapRect: Rect?
    /// The grid drawn there.
    public var heatmapGrid: HeatmapGrid?
    /// The depth and character mode the heatmap was drawn in (they decide its cell geometry).
    public var depth: ColorDepth
    /// ASCII mode.
    public var ascii: Bool

    /// The command a mouse event stands for in this frame: a click on a tree row selects it, a click on a heatmap
    /// cell moves the cursor there, the wheel scrolls; nil when it hits nothing.
    public func command(for mouse: MouseEvent) -> ExplorerCommand? {
        switch mouse {
        case .click(let x, let y):
            if treeRows.contains(x: x, y: y),
               let index = TreeView.rowIndex(atY: y, in: treeRows, scrollOffset: treeScrollOffset, rowCount: treeRowCount) {
                return .selectTreeRow(index)
            }
            if let rect = heatmapRect, let grid = heatmapGrid,
               let cell = Heatmap.dataCell(atX: x, y: y, in: rect, rows: grid.rows, cols: grid.cols, depth: depth,
                                           ascii: ascii) {
                return .selectHeatmapCell(row: cell.row, col: cell.col)
            }
            return nil
        case .wheelUp:
            return .scroll(-3)
        case .wheelDown:
            return .scroll(3)
        }
    }
}

/// A heatmap as drawn: the grid, where it went, and the capacity it was made for (what the state is told).
struct DrawnHeatmap {
    var grid: HeatmapGrid
    var rect: Rect
    var capacity: (rows: Int, cols: Int)
}
